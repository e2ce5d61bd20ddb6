// go-micro's rule for NATS servers: add nats:// when missing; default nats://127.0.0.1:4222.
export const DEFAULT_URL = "nats://127.0.0.1:4222";

export function normalizeServers(addresses: readonly string[] | undefined): string[] {
  const list = (addresses ?? []).map((a) => a.trim()).filter(Boolean);
  if (!list.length) return [DEFAULT_URL];
  return [...new Set(list.map((a) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(a) ? a : `nats://${a}`)))];
}

/** A server URL without credentials, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//");
}
