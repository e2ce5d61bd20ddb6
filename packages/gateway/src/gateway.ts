// The gateway: one node:http (or https) server, the route table, and the guards every request
// passes in order: CORS, the route, rate limit, auth, then the route's handler. Errors anywhere
// become go-micro's error JSON with their HTTP status; nothing is thrown out of a request.
import { readFileSync } from "node:fs";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createTlsServer } from "node:https";
import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { type Broker, type Client, getLogger, type Logger, MicroError, type Registry } from "@micro/core";
import { RegistryCache } from "@micro/registry-cache";
import type { Account } from "./auth/account.js";
import { tokenOf } from "./auth/check.js";
import { closeProxiedUpgrades } from "./classic/proxy-handler.js";
import { classicRoute } from "./classic/route.js";
import type { GatewayContext } from "./context.js";
import { logAccess } from "./http/access-log.js";
import { createCors } from "./http/cors.js";
import { GATEWAY_ID, httpStatus, toGatewayError } from "./http/errors.js";
import { type FastRequest, responseBytes, serveFast } from "./http/fast-path.js";
import { formatAddress, splitAddress } from "./http/listen.js";
import { sendError } from "./http/reply.js";
import { createRateLimiter } from "./limits/rate-limit.js";
import { LiveOpenApi } from "./openapi/live.js";
import { type GatewayOptions, type GatewayRoute, type RequestInfo, resolveOptions } from "./options.js";
import { apiListRoute, apiRoute, apiTargetOf } from "./routes/api.js";
import { healthRoute, openApiRoute, statsRoute } from "./routes/builtin.js";
import { rpcRoute } from "./routes/rpc.js";
import { RouteTable } from "./routes/table.js";
import { callEndpoint } from "./rpc/call.js";
import type { RequestHead } from "./rpc/metadata.js";
import { GatewayStats } from "./stats.js";
import { closeWebSockets } from "./stream/websocket.js";

/** Undefined when no guard is configured, so an open gateway pays no extra await per request. */
type Guard = ((req: RequestHead, route: GatewayRoute, info: RequestInfo) => Promise<void>) | undefined;

export class Gateway {
  readonly #options: GatewayOptions;
  #ctx: GatewayContext | undefined;
  #server: Server | undefined;
  /** The listener in front of node:http when the fast path is on (plain HTTP). */
  #net: NetServer | undefined;
  readonly #fastSockets = new Set<Socket>();
  #table = new RouteTable();
  #fallback: GatewayRoute | undefined;
  #guard: Guard;
  #cors: ReturnType<typeof createCors> | undefined;
  #closers: (() => unknown)[] = [];
  #address = "";

  constructor(options: GatewayOptions = {}) {
    this.#options = options;
    // fail on bad options now, not at the first request
    resolveOptions(options);
  }

  /** host:port the gateway listens on, once listen() resolved. */
  get address(): string {
    return this.#address;
  }

  get stats(): GatewayStats | undefined {
    return this.#ctx?.stats;
  }

  /** Resolves the mesh and builds the routes; listen() does it for you. */
  async init(): Promise<GatewayContext> {
    if (this.#ctx) return this.#ctx;
    const o = this.#options;
    const options = resolveOptions(o);
    let client: Client | undefined = o.client;
    let registry: Registry | undefined = o.registry;
    let broker: Broker | undefined = o.broker;
    if (o.service) {
      client ??= o.service.client;
      const stack = await o.service.stack();
      registry ??= stack.registry;
      broker ??= stack.broker;
    }
    if (!client || !registry) throw new Error("gateway: give it a service, or a client and a registry");
    const logger: Logger = o.logger ?? getLogger();
    const cache = new RegistryCache(registry, { logger, name: "gateway" });
    this.#closers.push(() => cache.close());
    const ctx: GatewayContext = {
      client,
      registry,
      cache,
      broker,
      options,
      stats: new GatewayStats(),
      logger,
    };
    const t = this.#table;
    t.add(healthRoute).add(statsRoute);
    if (options.openapi) {
      const doc = new LiveOpenApi(registry, { auth: options.auth !== undefined, logger });
      this.#closers.push(() => doc.close());
      t.add(openApiRoute(doc));
    }
    if (options.api) t.add(apiListRoute).add(apiRoute);
    if (options.rpc) t.add(rpcRoute);
    for (const r of options.routes) t.add(r);
    if (options.classic) this.#fallback = classicRoute(cache);
    if (options.cors) this.#cors = createCors(options.cors);
    this.#guard = makeGuard(ctx);
    this.#ctx = ctx;
    return ctx;
  }

  /** The request listener, for mounting the gateway on a server of your own. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    void this.#request(req, res);
  };

  /** The upgrade listener (WebSocket streams), for a server of your own. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    void this.#upgrade(req, socket, head);
  };

  async listen(): Promise<string> {
    const ctx = await this.init();
    const { options } = ctx;
    const { host, port } = splitAddress(options.address);
    const tls = options.tls;
    const server = tls
      ? createTlsServer({
          cert: pem(tls.cert),
          key: pem(tls.key),
          ...(tls.ca ? { ca: pem(tls.ca), requestCert: true } : {}),
        })
      : createServer();
    server.on("request", this.handle);
    server.on("upgrade", this.handleUpgrade);
    server.maxConnections = options.maxConnections;
    // a client that sends its headers slowly holds a socket: give it 10 s, as Go's ReadHeaderTimeout is often set
    server.headersTimeout = 10_000;
    // the whole request (body included) must arrive within the call timeout
    server.requestTimeout = options.timeout + 5000;
    // Plain HTTP: a net listener in front, serving plain API calls itself (http/fast-path.ts) and
    // handing everything else to node:http. TLS goes to node:https directly.
    const listener: NetServer | Server = tls ? server : this.#fastListener(ctx, server);
    listener.maxConnections = options.maxConnections;
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(port, host, () => {
        listener.off("error", reject);
        resolve();
      });
    });
    listener.on("error", (err) => ctx.logger.error(`gateway: ${err.message}`));
    this.#address = formatAddress(listener.address());
    this.#server = server;
    return this.#address;
  }

  async close(): Promise<void> {
    if (this.#ctx) {
      const { logger, options } = this.#ctx;
      for (const r of options.routes) {
        try {
          await r.close?.();
        } catch (err) {
          logger.warn(`gateway: closing route ${r.path}: ${err instanceof Error ? err.message : err}`);
        }
      }
      closeWebSockets(this.#ctx);
      closeProxiedUpgrades(this.#ctx);
    }
    const server = this.#server;
    this.#server = undefined;
    const net = this.#net;
    this.#net = undefined;
    if (net) {
      net.close();
      // idle fast-path connections go now; those with a call in flight finish it first
      for (const s of this.#fastSockets) s.end();
      setTimeout(() => {
        for (const s of this.#fastSockets) s.destroy();
      }, 2000).unref();
    }
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // requests still running get a moment, then their sockets go too
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
    }
    for (const c of this.#closers.splice(0)) await c();
  }

  #fastListener(ctx: GatewayContext, server: Server): NetServer {
    const fast = createNetServer({ noDelay: true });
    const hooks = {
      maxBodyBytes: ctx.options.maxBodyBytes,
      accepts: (_method: string, url: string, headers: IncomingHttpHeaders) => this.#fastRoute(url, headers),
      serve: (request: FastRequest, body: Buffer, closed: AbortSignal) =>
        this.#serveFast(ctx, request, body, closed),
      fallback: (socket: Socket, unread: Buffer) => {
        this.#fastSockets.delete(socket);
        if (unread.length) socket.unshift(unread);
        server.emit("connection", socket);
      },
    };
    fast.on("connection", (socket) => {
      this.#fastSockets.add(socket);
      socket.once("close", () => this.#fastSockets.delete(socket));
      serveFast(socket, hooks);
    });
    this.#net = fast;
    return fast;
  }

  /** Plain calls to /api/{service}/{Endpoint}; a browser's cross-origin call goes the full way (CORS). */
  #fastRoute(url: string, headers: IncomingHttpHeaders): boolean {
    if (this.#cors && headers.origin !== undefined) return false;
    if (!url.startsWith("/api/") || url.includes("%") || url.includes("?")) return false;
    return this.#table.find(url, this.#fallback) === apiRoute;
  }

  /** #request's work for a fast-path call: the same guards, call, errors, counters and log. */
  async #serveFast(
    ctx: GatewayContext,
    req: FastRequest,
    body: Buffer,
    closed: AbortSignal,
  ): Promise<Buffer> {
    const { stats } = ctx;
    stats.requests++;
    stats.active++;
    const started = ctx.options.accessLog ? performance.now() : 0;
    const info = requestInfo(ctx, req.url);
    let status = 200;
    try {
      const target = apiTargetOf(info, req.headers["micro-endpoint"]);
      if (!target || !("endpoint" in target))
        throw MicroError.notFound(GATEWAY_ID, `no route for ${info.path}`);
      if (this.#guard) await this.#guard(req, apiRoute, info);
      const reply = await callEndpoint(ctx, target, req, body, info.account, closed);
      return responseBytes(200, "OK", reply.contentType, reply.data);
    } catch (err) {
      const e = toGatewayError(err);
      status = httpStatus(e);
      if (status >= 500) ctx.logger.debug(`gateway: ${req.method} ${req.url}: ${e.detail}`);
      return responseBytes(
        status,
        e.status || "Error",
        "application/json",
        Buffer.from(e.toString()),
        errorHeaders(err),
      );
    } finally {
      stats.active--;
      stats.count(status);
      if (ctx.options.accessLog) logAccess(ctx.logger, req, status, started, info.account?.id);
    }
  }

  async #request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = this.#ctx ?? (await this.init());
    const { stats } = ctx;
    stats.requests++;
    stats.active++;
    const started = ctx.options.accessLog ? performance.now() : 0;
    let info: RequestInfo | undefined;
    try {
      if (this.#cors && this.#cors(req, res) === "preflight") return;
      info = requestInfo(ctx, req.url ?? "/");
      const route = this.#table.find(info.path, this.#fallback);
      if (!route) throw MicroError.notFound(GATEWAY_ID, `no route for ${info.path}`);
      if (this.#guard) await this.#guard(req, route, info);
      await route.handle(req, res, info);
    } catch (err) {
      const e = toGatewayError(err);
      const login = ctx.options.loginPath;
      if (e.code === 401 && login && !res.headersSent && wantsPage(req)) {
        res.writeHead(302, {
          Location: `${login}?next=${encodeURIComponent(req.url ?? "/")}`,
          "Content-Length": 0,
        });
        res.end();
      } else if (!res.headersSent) {
        sendError(res, e, errorHeaders(err));
      } else res.destroy();
      if (httpStatus(e) >= 500) ctx.logger.debug(`gateway: ${req.method} ${req.url}: ${e.detail}`);
    } finally {
      stats.active--;
      stats.count(res.statusCode);
      if (ctx.options.accessLog) {
        // the status is final once the answer is written; a stream answer logs when it ends
        if (res.writableFinished) logAccess(ctx.logger, req, res.statusCode, started, info?.account?.id);
        else res.once("finish", () => logAccess(ctx.logger, req, res.statusCode, started, info?.account?.id));
      }
    }
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const ctx = this.#ctx ?? (await this.init());
    socket.on("error", () => socket.destroy());
    try {
      const info = requestInfo(ctx, req.url ?? "/");
      if (ctx.options.cors && !this.#cors!.allowsOrigin(req)) {
        // a page on another site must not open a stream with the user's cookie
        throw MicroError.forbidden(GATEWAY_ID, `origin ${req.headers.origin} not allowed`);
      }
      const route = this.#table.find(info.path, this.#fallback);
      if (!route?.upgrade) throw MicroError.notFound(GATEWAY_ID, `no WebSocket route for ${info.path}`);
      if (this.#guard) await this.#guard(req, route, info);
      await route.upgrade(req, socket, head, info);
    } catch (err) {
      const e = toGatewayError(err);
      const body = e.toString();
      socket.end(
        `HTTP/1.1 ${httpStatus(e)} ${e.status || "Error"}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
  }
}

export function createGateway(options: GatewayOptions = {}): Gateway {
  return new Gateway(options);
}

/** A browser asking for a page (not a script asking for data). */
function wantsPage(req: IncomingMessage): boolean {
  return req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
}

function pem(v: string | Buffer): string | Buffer {
  // a PEM's text, or the path of a file holding one
  return typeof v === "string" && !v.includes("-----BEGIN") ? readFileSync(v) : v;
}

function requestInfo(ctx: GatewayContext, url: string): RequestInfo {
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  let path: string;
  try {
    path = rawPath.includes("%") ? decodeURIComponent(rawPath) : rawPath;
  } catch {
    throw MicroError.badRequest(GATEWAY_ID, `bad path encoding: ${rawPath}`);
  }
  return {
    gateway: ctx,
    path,
    query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)),
    account: undefined,
  };
}

class RateLimited extends MicroError {
  constructor(readonly retryAfterMs: number) {
    super(GATEWAY_ID, "too many requests", 429);
  }
}

/** Headers an error answer carries besides its body: when to come back, for a rate-limited client. */
function errorHeaders(err: unknown): Record<string, string> | undefined {
  return err instanceof RateLimited
    ? { "Retry-After": String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) }
    : undefined;
}

/** Rate limit, then auth: the limit is cheap and protects the verifier from floods. */
function makeGuard(ctx: GatewayContext): Guard {
  const { options, stats } = ctx;
  const limiter = options.rateLimit ? createRateLimiter(options.rateLimit) : undefined;
  const auth = options.auth;
  if (!limiter && !auth) return undefined;
  return async (req, route, info) => {
    if (limiter) {
      const taken = limiter.take(req.socket.remoteAddress ?? "");
      if (!taken.ok) {
        stats.rateLimited++;
        throw new RateLimited(taken.retryAfterMs);
      }
    }
    if (!auth || route.public) return;
    const result = await auth({
      token: tokenOf(req.headers),
      method: req.method ?? "GET",
      path: info.path,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress ?? "",
    });
    if (!result.allow) {
      stats.unauthorized++;
      throw new MicroError(GATEWAY_ID, result.detail, result.status);
    }
    info.account = result.account as Account | undefined;
  };
}
