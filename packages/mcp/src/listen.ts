// A standalone MCP server over Streamable HTTP: a gateway with the MCP route alone (plus /health and
// /stats), so it shares the gateway's listener, TLS, auth, CORS and connection limits.
import { createGateway, type Gateway, type GatewayOptions } from "@micro/gateway";
import { hostName } from "./http.js";
import { type McpRouteOptions, mcpRoute } from "./route.js";

export interface ListenMcpOptions
  extends McpRouteOptions,
    Pick<
      GatewayOptions,
      | "address"
      | "auth"
      | "tls"
      | "cors"
      | "rateLimit"
      | "maxBodyBytes"
      | "maxConnections"
      | "accessLog"
      | "broker"
    > {}

export interface McpListener {
  /** host:port it listens on. */
  address: string;
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: string;
  gateway: Gateway;
  close(): Promise<void>;
}

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

export async function listenMcp(options: ListenMcpOptions = {}): Promise<McpListener> {
  const address = options.address ?? "127.0.0.1:3000";
  const host = hostName(address.startsWith(":") ? `0.0.0.0${address}` : address);
  // on loopback only loopback names may reach it: a page rebinding its own DNS name to 127.0.0.1
  // gets its name in the Host header and is turned away
  const allowedHosts = options.allowedHosts ?? (LOOPBACK.includes(host) ? LOOPBACK : undefined);
  const route = mcpRoute({ ...options, ...(allowedHosts ? { allowedHosts } : {}) });
  const gateway = createGateway({
    ...pick(options),
    address,
    api: false,
    rpc: false,
    classic: false,
    openapi: false,
    routes: [route],
  });
  const bound = await gateway.listen();
  return {
    address: bound,
    url: `${options.tls ? "https" : "http"}://${bound}${options.path ?? "/mcp"}`,
    gateway,
    close: () => gateway.close(),
  };
}

/** The options the listener's gateway takes from ours (the rest are the MCP route's). */
const GATEWAY_KEYS = [
  "service",
  "client",
  "registry",
  "broker",
  "logger",
  "auth",
  "tls",
  "cors",
  "rateLimit",
  "maxBodyBytes",
  "maxConnections",
  "accessLog",
  "timeout",
] as const satisfies readonly (keyof GatewayOptions & keyof ListenMcpOptions)[];

function pick(o: ListenMcpOptions): GatewayOptions {
  const out: Record<string, unknown> = {};
  for (const k of GATEWAY_KEYS) if (o[k]) out[k] = o[k];
  return out as GatewayOptions;
}
