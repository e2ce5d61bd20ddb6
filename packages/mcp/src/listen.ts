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

function pick(o: ListenMcpOptions): GatewayOptions {
  const out: GatewayOptions = {};
  if (o.service) out.service = o.service;
  if (o.client) out.client = o.client;
  if (o.registry) out.registry = o.registry;
  if (o.broker) out.broker = o.broker;
  if (o.logger) out.logger = o.logger;
  if (o.auth) out.auth = o.auth;
  if (o.tls) out.tls = o.tls;
  if (o.cors) out.cors = o.cors;
  if (o.rateLimit) out.rateLimit = o.rateLimit;
  if (o.maxBodyBytes) out.maxBodyBytes = o.maxBodyBytes;
  if (o.maxConnections) out.maxConnections = o.maxConnections;
  if (o.accessLog) out.accessLog = o.accessLog;
  if (o.timeout) out.timeout = o.timeout;
  return out;
}
