// go-micro's rule for broker addresses: a bare host:port gets `amqp://`; with TLS the scheme becomes
// `amqps://` (go-micro swaps the prefix and keeps the port); nothing given means the local default.
export const DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function normalizeUrls(addresses: readonly string[] | undefined, secure = false): string[] {
  const list = (addresses ?? []).map((a) => a.trim()).filter(Boolean);
  const urls = (list.length ? list : [DEFAULT_URL]).map((a) => (SCHEME.test(a) ? a : `amqp://${a}`));
  return [...new Set(secure ? urls.map((u) => u.replace(/^amqp:\/\//i, "amqps://")) : urls)];
}

/** A URL without its credentials, for errors, logs and `address()`. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//");
}
