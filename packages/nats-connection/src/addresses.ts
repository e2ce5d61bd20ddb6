// go-micro's rule for NATS server addresses (registry, broker and transport alike): empty entries
// dropped, `nats://` added when no scheme is given, nats://127.0.0.1:4222 when nothing is left. A
// comma-separated entry is split, since flags and env vars arrive as one string.
export const DEFAULT_URL = "nats://127.0.0.1:4222";

export function normalizeServers(addresses: readonly string[] | undefined): string[] {
  const list = (addresses ?? [])
    .flatMap((a) => a.split(","))
    .map((a) => a.trim())
    .filter(Boolean);
  if (!list.length) return [DEFAULT_URL];
  return [...new Set(list.map((a) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(a) ? a : `nats://${a}`)))];
}

/** A server URL without credentials, safe for error messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//");
}

export interface Credentials {
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Go's client takes `nats://user:pass@host` and `nats://token@host`; the JavaScript client wants
 * credentials as options, so they are moved out of the URLs (the first ones found win).
 */
export function splitCredentials(servers: readonly string[]): {
  servers: string[];
  credentials: Credentials;
} {
  let credentials: Credentials = {};
  const out = servers.map((s) => {
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@(.*)$/i.exec(s);
    if (!m) return s;
    const [user, pass] = m[2]!.split(":", 2).map((x) => decodeURIComponent(x));
    if (!credentials.user && !credentials.token)
      credentials = pass === undefined ? { token: user } : { user, pass };
    return `${m[1]}${m[3]}`;
  });
  return { servers: out, credentials };
}
