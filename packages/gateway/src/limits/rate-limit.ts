// Per-client token buckets. Buckets refill lazily when their client next asks, so there are no timers,
// and a take is a couple of Map operations. Memory is bounded by evicting the least recently seen
// client: a forgotten client merely starts again with a full bucket.

export interface RateLimiterOptions {
  /** Sustained requests per second per client. */
  rate: number;
  /** Requests a client may make at once after being idle. Default: rate (at least 1). */
  burst?: number;
  /** Clients tracked at once. Default 100 000. */
  maxClients?: number;
  /** A monotonic clock in milliseconds. Default performance.now. */
  now?: () => number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  /** Spends one token of the client's bucket. */
  take(key: string): TakeResult;
  /** Clients currently tracked. */
  size(): number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { rate } = options;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError("rate must be a positive number");
  const burst = options.burst ?? Math.max(1, rate);
  if (!(burst >= 1) || !Number.isFinite(burst)) throw new RangeError("burst must be at least 1");
  const maxClients = options.maxClients ?? 100_000;
  if (!(maxClients >= 1)) throw new RangeError("maxClients must be at least 1");
  // Date.now can step backwards (NTP); performance.now cannot.
  const now = options.now ?? (() => performance.now());
  const perMs = rate / 1000;
  // Insertion order doubles as recency: a take re-inserts its bucket at the end.
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (b) {
        buckets.delete(key);
        if (t > b.at) {
          b.tokens = Math.min(burst, b.tokens + (t - b.at) * perMs);
          b.at = t;
        }
      } else {
        b = { tokens: burst, at: t };
        if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!);
      }
      buckets.set(key, b);
      // The epsilon absorbs float error, so 10/s really admits one request every 100 ms.
      if (b.tokens >= 1 - 1e-9) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterMs: Math.ceil((1 - b.tokens) / perMs) };
    },
    size: () => buckets.size,
  };
}
