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

export interface Credentials {
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Go's NATS client accepts `nats://user:pass@host` and `nats://token@host`; the JavaScript client
 * wants them as options. Moves the first credentials found into options and strips them all.
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
    if (!credentials.user && !credentials.token) {
      credentials = pass === undefined ? { token: user } : { user, pass };
    }
    return `${m[1]}${m[3]}`;
  });
  return { servers: out, credentials };
}
