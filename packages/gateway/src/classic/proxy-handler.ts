// The classic `http` and `proxy` handlers (go-micro's api/handler/http, the same handler under two
// names): a reverse proxy to a random node of an HTTP service found in the registry. As go-micro's
// proxyRoute, the service is the first path part under the namespace — `/greeter/anything/else` →
// go.micro.api.greeter, `/v1/greeter/...` → go.micro.api.v1.greeter — not the Handler.Method
// mapping, and the path and query go to the node unchanged.
//
// Bodies stream both ways with back-pressure (pipe), never buffered, so no body size cap applies.
// A node that refuses or breaks the connection is a 502, no node a 503, no answer within the
// gateway's timeout a 504. WebSocket and other upgrades are forwarded as Go's ReverseProxy does.
import { Agent, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { type Duplex, pipeline } from "node:stream";
import type { TLSSocket } from "node:tls";
import { MicroError, type Node } from "@micro/core";
import type { GatewayContext } from "../context.js";
import { GATEWAY_ID } from "../http/errors.js";
import { splitAddress } from "../http/listen.js";
import type { RequestInfo } from "../options.js";
import type { ClassicHandler, ClassicTarget } from "./handler.js";

const VERSION = /^v[0-9]+$/;
// go-micro's proxyRe: a name a DNS label could be
const ALIAS = /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/;
/** A node that has not accepted the connection by then is taken as dead (Go's default transport waits 30 s). */
const DIAL_TIMEOUT_MS = 5000;

// Meaningful for one connection only (RFC 9110 §7.6.1), so never forwarded either way.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

// Set by the gateway itself: what a client sends under these names is replaced, not passed on.
const REPLACED = new Set([
  "host",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  // the gateway already answered any 100-continue itself
  "expect",
  // only the gateway says who the caller is
  "micro-account",
]);

export type HeaderMap = Record<string, string | string[]>;

/** Where a request goes: a node, the path (with query) it sees there, and headers to add. */
export interface Upstream {
  node: Node;
  path: string;
  /** The Host header the node sees. */
  host: string;
  headers?: Record<string, string>;
}

/** go-micro's proxyRoute: the service name a path names, or undefined when it names none. */
export function proxyName(path: string): string | undefined {
  const parts = path.split("/");
  if (parts.length < 2) return undefined;
  let name = parts[1]!;
  let alias = name;
  if (parts.length > 2 && VERSION.test(name)) {
    name = `${parts[1]}.${parts[2]}`;
    alias = parts[2]!;
  }
  return ALIAS.test(alias) ? name : undefined;
}

/** A random node of the service, as go-micro's selector.Random; the route's lookup is reused when it is the same service. */
export async function pickNode(info: RequestInfo, target: ClassicTarget, service: string): Promise<Node> {
  let versions = target.versions;
  if (service !== target.service) {
    try {
      versions = await info.gateway.registry.getService(service);
    } catch (err) {
      throw new MicroError(GATEWAY_ID, `registry: ${(err as Error).message}`, 503);
    }
  }
  const nodes = versions.flatMap((v) => v.nodes);
  if (nodes.length === 0) throw new MicroError(GATEWAY_ID, `service ${service}: no node available`, 503);
  return nodes[Math.floor(Math.random() * nodes.length)]!;
}

/** Headers minus hop-by-hop ones (and those the Connection header names) and `drop`, repeats kept. */
export function endToEnd(
  raw: string[],
  connection: string | string[] | undefined,
  drop?: Set<string>,
): HeaderMap {
  const named = new Set(
    String(connection ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: HeaderMap = {};
  const spelling = new Map<string, string>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || drop?.has(lower)) continue;
    let key = spelling.get(lower);
    if (key === undefined) {
      key = name;
      spelling.set(lower, name);
    }
    const value = raw[i + 1]!;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** What the node sees: the client's end-to-end headers plus who asked, through which host and scheme. */
function requestHeaders(req: IncomingMessage, info: RequestInfo, up: Upstream): HeaderMap {
  const extra = up.headers ? Object.keys(up.headers).map((k) => k.toLowerCase()) : [];
  const drop = extra.length > 0 ? new Set([...REPLACED, ...extra]) : REPLACED;
  const headers = endToEnd(req.rawHeaders, req.headers.connection, drop);
  const ip = req.socket.remoteAddress ?? "";
  const prior = req.headers["x-forwarded-for"];
  headers.Host = up.host;
  headers["X-Forwarded-For"] = prior ? `${prior}, ${ip}` : ip;
  headers["X-Forwarded-Host"] = req.headers.host ?? "";
  headers["X-Forwarded-Proto"] = (req.socket as TLSSocket).encrypted ? "https" : "http";
  if (info.account) headers["Micro-Account"] = JSON.stringify(info.account);
  if (up.headers) Object.assign(headers, up.headers);
  return headers;
}

function dialTarget(node: Node): { host: string; port: number } {
  const { host, port } = splitAddress(node.address);
  // ":8080" is this machine, as Go dials it
  return { host: host ?? "127.0.0.1", port };
}

// Connections to nodes are reused across requests, as Go's http.DefaultTransport does.
const agent = new Agent({ keepAlive: true, maxFreeSockets: 64 });

/** Bounds the wait for the TCP connection: a node that vanished without a RST must not hang requests. */
function boundDial(socket: Socket, fail: (err: MicroError) => void, address: string): void {
  if (!socket.connecting) return;
  const timer = setTimeout(
    () => fail(new MicroError(GATEWAY_ID, `upstream ${address}: dial timeout`, 502)),
    DIAL_TIMEOUT_MS,
  );
  timer.unref();
  socket.once("connect", () => clearTimeout(timer));
  socket.once("close", () => clearTimeout(timer));
}

/** Proxies one request; resolves when the answer is written, rejects (before it starts) with the micro error to send. */
export function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  info: RequestInfo,
  up: Upstream,
): Promise<void> {
  const { timeout } = info.gateway.options;
  const address = up.node.address;
  return new Promise((resolve, reject) => {
    let settled = false;
    const out = request({
      ...dialTarget(up.node),
      method: req.method,
      path: up.path,
      headers: requestHeaders(req, info, up),
      agent,
    });
    const fail = (err: MicroError) => {
      clearTimeout(timer);
      out.destroy();
      if (settled) return;
      settled = true;
      // once the node's answer has started, only cutting the connection tells the client
      if (res.headersSent) res.destroy();
      reject(err);
    };
    // the node must answer (headers) within the call timeout; a streaming body may then take its time
    const timer = setTimeout(
      () => fail(new MicroError(GATEWAY_ID, `upstream ${address} timed out after ${timeout} ms`, 504)),
      timeout,
    );
    out.on("socket", (s) => boundDial(s, fail, address));
    out.on("error", (err) => fail(new MicroError(GATEWAY_ID, `upstream ${address}: ${err.message}`, 502)));
    out.on("response", (upRes) => {
      clearTimeout(timer);
      if (settled) {
        upRes.destroy();
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, endToEnd(upRes.rawHeaders, upRes.headers.connection));
      pipeline(upRes, res, (err) => {
        if (settled) return;
        settled = true;
        // a node that broke off mid-body is an upstream failure (the client's answer is cut); a client
        // that hung up is not
        if (err && upRes.errored)
          reject(new MicroError(GATEWAY_ID, `upstream ${address}: ${err.message}`, 502));
        else resolve();
      });
    });
    // the client went away: the node's work is for nobody
    res.on("close", () => {
      if (!res.writableFinished) {
        clearTimeout(timer);
        out.destroy();
        if (!settled) {
          settled = true;
          resolve();
        }
      }
    });
    // pipe (not pipeline): a node failing must not destroy the client's request, whose socket still
    // has to carry the 502
    req.pipe(out);
  });
}

function statusLine(code: number, text: string | undefined): string {
  return `HTTP/1.1 ${code} ${text ?? ""}\r\n`;
}

function headerLines(headers: HeaderMap): string {
  let s = "";
  for (const [k, v] of Object.entries(headers))
    for (const one of Array.isArray(v) ? v : [v]) s += `${k}: ${one}\r\n`;
  return s;
}

// Proxied upgrades per gateway, so a shutdown can close them (they are no longer the HTTP server's).
const upgraded = new WeakMap<GatewayContext, Set<() => void>>();

/** Closes every proxied WebSocket of a gateway (they would otherwise hold its server open). */
export function closeProxiedUpgrades(ctx: GatewayContext): void {
  for (const close of upgraded.get(ctx) ?? []) close();
}

/**
 * Forwards an upgrade (WebSocket): the request goes to the node, its 101 comes back, then bytes are
 * piped both ways until either side closes. Counts against the gateway's WebSocket limit.
 */
export function proxyUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  info: RequestInfo,
  up: Upstream,
): Promise<void> {
  const ctx = info.gateway;
  const { stats, options } = ctx;
  if (stats.websockets >= options.maxWebSockets) {
    throw new MicroError(GATEWAY_ID, "too many WebSockets open", 503);
  }
  // a slot is held from the handshake on, so concurrent handshakes cannot overshoot the limit
  stats.websockets++;
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    stats.websockets--;
  };
  const address = up.node.address;
  const headers = requestHeaders(req, info, up);
  headers.Connection = "Upgrade";
  headers.Upgrade = req.headers.upgrade ?? "websocket";
  return new Promise((resolve, reject) => {
    let settled = false;
    const out = request({ ...dialTarget(up.node), method: req.method, path: up.path, headers, agent: false });
    const fail = (err: MicroError) => {
      clearTimeout(timer);
      out.destroy();
      if (settled) return;
      settled = true;
      release();
      reject(err);
    };
    const timer = setTimeout(
      () =>
        fail(new MicroError(GATEWAY_ID, `upstream ${address} timed out after ${options.timeout} ms`, 504)),
      options.timeout,
    );
    out.on("socket", (s) => boundDial(s, fail, address));
    out.on("error", (err) => fail(new MicroError(GATEWAY_ID, `upstream ${address}: ${err.message}`, 502)));
    // the client gave up during the handshake
    const onClientClose = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      out.destroy();
      release();
      resolve();
    };
    socket.once("close", onClientClose);
    // the node answered without switching: relay its answer, then close
    out.on("response", (upRes) => {
      clearTimeout(timer);
      if (settled) {
        upRes.destroy();
        return;
      }
      settled = true;
      release();
      socket.off("close", onClientClose);
      const h = endToEnd(upRes.rawHeaders, upRes.headers.connection, new Set(["content-length"]));
      socket.write(
        `${statusLine(upRes.statusCode ?? 502, upRes.statusMessage)}${headerLines(h)}Connection: close\r\n\r\n`,
      );
      pipeline(upRes, socket, () => resolve());
    });
    out.on("upgrade", (upRes, upSocket, upHead) => {
      clearTimeout(timer);
      if (settled) {
        upSocket.destroy();
        return;
      }
      settled = true;
      socket.off("close", onClientClose);
      let lines = "";
      for (let i = 0; i < upRes.rawHeaders.length; i += 2)
        lines += `${upRes.rawHeaders[i]}: ${upRes.rawHeaders[i + 1]}\r\n`;
      socket.write(`${statusLine(101, upRes.statusMessage || "Switching Protocols")}${lines}\r\n`);
      if (upHead.length > 0) socket.write(upHead);
      if (head.length > 0) upSocket.write(head);
      const tracked = upgraded.get(ctx) ?? new Set();
      upgraded.set(ctx, tracked);
      const close = () => {
        tracked.delete(close);
        release();
        socket.destroy();
        upSocket.destroy();
      };
      tracked.add(close);
      for (const s of [socket, upSocket]) {
        s.on("close", close);
        s.on("error", close);
      }
      // pipe ends the other side when one half-closes, and waits for drain both ways
      upSocket.pipe(socket);
      socket.pipe(upSocket);
      resolve();
    });
    out.end();
  });
}

async function proxyTarget(
  info: RequestInfo,
  target: ClassicTarget,
  req: IncomingMessage,
): Promise<Upstream> {
  const { namespace } = info.gateway.options;
  const name = proxyName(info.path);
  if (!name) throw MicroError.notFound(GATEWAY_ID, `no service for ${info.path}`);
  const service = namespace ? `${namespace}.${name}` : name;
  const node = await pickNode(info, target, service);
  // go-micro's NewSingleHostReverseProxy keeps the client's Host and the whole request URI
  return { node, path: req.url ?? "/", host: req.headers.host ?? node.address };
}

export const proxyHandler: ClassicHandler = {
  async handle(req, res, info, target) {
    await proxyRequest(req, res, info, await proxyTarget(info, target, req));
  },
  async upgrade(req, socket, head, info, target) {
    await proxyUpgrade(req, socket, head, info, await proxyTarget(info, target, req));
  },
};
