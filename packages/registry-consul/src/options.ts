// Where the agent is and how to talk to it: explicit options first, then the plugin context
// (--registry_address, --tls_*), then Consul's own environment variables, then 127.0.0.1:8500.
import type { TLSOptions } from "@micro/core";

export interface ConsulRegistryOptions {
  /** Agent addresses, `host[:port]` or URLs; the first that answers is used. Default CONSUL_HTTP_ADDR or 127.0.0.1:8500. */
  addresses?: string[];
  /** ACL token sent as `X-Consul-Token`. Default CONSUL_HTTP_TOKEN. */
  token?: string;
  /** Use https (implied by `tls`, an https:// address, or CONSUL_HTTP_SSL=true). */
  secure?: boolean;
  /** CA / client certificate for https. */
  tls?: TLSOptions;
  /** Per-request timeout in ms for everything but blocking watch queries (default 10 s). */
  timeout?: number;
  /** How long a blocking watch query waits at the agent, in ms (default 5 min, Consul's own default). */
  watchWait?: number;
  /** Consul datacenter (`?dc=`); default the agent's own. */
  datacenter?: string;
  /**
   * Connections to the agent for everything but blocking watch queries (default 16); more requests
   * wait for one. Consul allows 200 per client address (http_max_conns_per_client), host-wide.
   */
  maxConnections?: number;
  /** Read with `?stale` like go-micro (AllowStale), so any server can answer. Default true. */
  allowStale?: boolean;
  /** Where to report background trouble (watch retries); default silent. */
  logger?: { warn(msg: string, ...args: unknown[]): void; debug(msg: string, ...args: unknown[]): void };
}

export interface ResolvedOptions {
  baseUrls: string[];
  token: string | undefined;
  tls: TLSOptions | undefined;
  timeout: number;
  watchWait: number;
  datacenter: string | undefined;
  allowStale: boolean;
  maxConnections: number;
}

const DEFAULT_PORT = 8500;

export function resolveOptions(
  o: ConsulRegistryOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  const secure = o.secure ?? (!!o.tls || /^(1|true)$/i.test(env.CONSUL_HTTP_SSL ?? ""));
  const given = o.addresses?.filter((a) => a.trim()) ?? [];
  const addresses = given.length ? given : [env.CONSUL_HTTP_ADDR || `127.0.0.1:${DEFAULT_PORT}`];
  return {
    baseUrls: addresses.map((a) => baseUrl(a.trim(), secure)),
    token: o.token ?? (env.CONSUL_HTTP_TOKEN || undefined),
    tls: o.tls,
    timeout: o.timeout ?? 10_000,
    watchWait: o.watchWait ?? 300_000,
    datacenter: o.datacenter,
    allowStale: o.allowStale ?? true,
    maxConnections: o.maxConnections && o.maxConnections > 0 ? Math.floor(o.maxConnections) : 16,
  };
}

/** `host`, `host:port`, `[v6]:port` or a URL -> `scheme://host:port` (go-micro adds :8500 when no port is given). */
export function baseUrl(address: string, secure: boolean): string {
  const m = /^(https?):\/\/(.*?)\/*$/i.exec(address);
  const scheme = m ? m[1]!.toLowerCase() : secure ? "https" : "http";
  const hostPort = m ? m[2]! : address;
  return `${scheme}://${withPort(hostPort)}`;
}

function withPort(hostPort: string): string {
  if (hostPort.startsWith("[")) return hostPort.includes("]:") ? hostPort : `${hostPort}:${DEFAULT_PORT}`;
  const colons = hostPort.split(":").length - 1;
  if (colons === 0) return `${hostPort}:${DEFAULT_PORT}`;
  if (colons > 1) return `[${hostPort}]:${DEFAULT_PORT}`; // a bare IPv6 address
  return hostPort;
}
