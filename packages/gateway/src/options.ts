// The gateway's options and their defaults, each default in this one place.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Broker, Client, Logger, MicroService, Registry } from "@micro/core";
import type { Account } from "./auth/account.js";
import type { AuthCheck } from "./auth/check.js";
import type { GatewayContext } from "./context.js";
import type { CorsOptions } from "./http/cors.js";

/** How the classic routes (`/greeter/say/hello`) reach a service, as go-micro's API handlers. */
export type HandlerName = "rpc" | "api" | "http" | "proxy" | "event" | "web";

export interface RequestInfo {
  gateway: GatewayContext;
  /** The path, percent-decoded, without the query. */
  path: string;
  query: URLSearchParams;
  /** Who the auth check said the caller is (absent when auth is off or the route is public). */
  account: Account | undefined;
}

/** A route mounted next to the built-in ones (the sidecar's, the dashboard's). */
export interface GatewayRoute {
  /** An exact path, or a prefix when it ends with "/". */
  path: string;
  /** Reachable without the auth check (health, login pages). */
  public?: boolean;
  handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo): Promise<void> | void;
  /** WebSocket and other upgrades on this path. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, info: RequestInfo): Promise<void> | void;
  /**
   * Called when the gateway closes, before its listener: a route that holds subscriptions, watches
   * or sockets of its own (they outlive the request that opened them) ends them here. Runs on every
   * close(), so it must be safe to call twice.
   */
  close?(): Promise<void> | void;
}

export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
  /** Clients must present a certificate signed by this CA (mutual TLS). */
  ca?: string | Buffer;
}

export interface GatewayOptions {
  /** host:port to listen on, as go-micro's `--address`; default ":8080" (every interface). */
  address?: string;
  /** The mesh: a service whose client, registry and broker the gateway uses. */
  service?: MicroService;
  client?: Client;
  registry?: Registry;
  broker?: Broker;
  logger?: Logger;
  /** `POST /api/{service}/{Endpoint}`, `GET /api`, WebSocket streams on the same paths (default on). */
  api?: boolean;
  /** `POST /rpc` with `{service, endpoint, request}` (default on). */
  rpc?: boolean;
  /** The classic path mapping for every other path: `/greeter/say/hello` → `go.micro.api.greeter` `Say.Hello`. */
  classic?: boolean;
  /** Service namespace of the classic routes (default "go.micro.api"). */
  namespace?: string;
  /** Namespace of web services proxied by the `web` handler (default "go.micro.web"). */
  webNamespace?: string;
  /** Handler of the classic routes unless an endpoint's metadata names one (default "rpc"). */
  handler?: HandlerName;
  /** `GET /openapi.json` from the registry (default on). */
  openapi?: boolean;
  /** Largest request body or WebSocket message in bytes (default 4 MiB). */
  maxBodyBytes?: number;
  /** Per-request call timeout in ms (default 30 s, go-micro's request timeout). */
  timeout?: number;
  cors?: CorsOptions;
  tls?: TlsFiles;
  /** Checks every request but the public routes; `createJwtAuth` is the usual choice. Off when absent. */
  auth?: AuthCheck;
  /** Requests per second per client (by address, or by account when auth is on); off when absent. */
  rateLimit?: { rate: number; burst?: number };
  /** One log line per request (default off). */
  accessLog?: boolean;
  /** Open connections at most; more are closed at once (default 10,000). */
  maxConnections?: number;
  /** Open WebSockets at most (default 1,000). */
  maxWebSockets?: number;
  /** Routes mounted after the built-in ones. */
  routes?: GatewayRoute[];
  /**
   * Where a browser goes when the auth check refuses a page: a GET that accepts text/html and gets
   * 401 is redirected here (with `?next=` the page it wanted) instead of receiving the error JSON.
   */
  loginPath?: string;
}

export interface ResolvedGatewayOptions {
  address: string;
  api: boolean;
  rpc: boolean;
  classic: boolean;
  namespace: string;
  webNamespace: string;
  handler: HandlerName;
  openapi: boolean;
  maxBodyBytes: number;
  timeout: number;
  cors: CorsOptions | undefined;
  tls: TlsFiles | undefined;
  auth: AuthCheck | undefined;
  rateLimit: { rate: number; burst?: number } | undefined;
  accessLog: boolean;
  maxConnections: number;
  maxWebSockets: number;
  routes: GatewayRoute[];
  loginPath: string | undefined;
}

export const HANDLERS: readonly HandlerName[] = ["rpc", "api", "http", "proxy", "event", "web"];

export function resolveOptions(o: GatewayOptions): ResolvedGatewayOptions {
  const handler = o.handler ?? "rpc";
  if (!HANDLERS.includes(handler)) {
    throw new Error(`unknown handler "${handler}": one of ${HANDLERS.join(", ")}`);
  }
  return {
    address: o.address ?? ":8080",
    api: o.api ?? true,
    rpc: o.rpc ?? true,
    classic: o.classic ?? true,
    namespace: o.namespace ?? "go.micro.api",
    webNamespace: o.webNamespace ?? "go.micro.web",
    handler,
    openapi: o.openapi ?? true,
    maxBodyBytes: o.maxBodyBytes ?? 4 * 1024 * 1024,
    timeout: o.timeout ?? 30_000,
    cors: o.cors,
    tls: o.tls,
    auth: o.auth,
    rateLimit: o.rateLimit,
    accessLog: o.accessLog ?? false,
    maxConnections: o.maxConnections ?? 10_000,
    maxWebSockets: o.maxWebSockets ?? 1000,
    routes: o.routes ?? [],
    loginPath: o.loginPath,
  };
}
