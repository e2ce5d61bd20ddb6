// One health check of a program: GET its URL, healthy on a 2xx within the timeout. The answer says
// why not, for the one log line a transition gets.
export interface HealthResult {
  ok: boolean;
  reason: string;
}

export async function checkHealth(url: string, timeoutMs: number): Promise<HealthResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    // the body is not needed; reading it frees the connection for the next check
    await res.arrayBuffer().catch(() => undefined);
    return res.ok
      ? { ok: true, reason: `${res.status}` }
      : { ok: false, reason: `${url} answered ${res.status}` };
  } catch (err) {
    return { ok: false, reason: `${url}: ${why(err)}` };
  }
}

function why(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return "no answer in time";
    // fetch's own message is "fetch failed"; the cause names the socket error
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) return cause.message;
    return err.message;
  }
  return String(err);
}
