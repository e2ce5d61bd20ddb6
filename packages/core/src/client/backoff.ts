// go-micro's default backoff: attempt i sleeps floor(i^e) x 100 ms, capped at 2 minutes past i = 13.
export function exponentialBackoff(attempt: number): number {
  if (attempt <= 0) return 0;
  if (attempt > 13) return 120_000;
  return Math.floor(attempt ** Math.E) * 100;
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
