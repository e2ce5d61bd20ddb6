// The subscriber endpoint: what go-micro's httpBroker.ServeHTTP accepts and answers, made robust.
// Go answers 500 to a malformed envelope and reads bodies without limit; we answer 400 and 413 —
// Go publishers ignore the status anyway, and a stray client can no longer exhaust memory. Go
// answers 200 whatever happened to the message; we answer 500 when a handler failed and 404 when
// no subscription here matches, so our publishers can count the message as dropped.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { type BrokerMessage, type Logger, MicroError, type TLSOptions } from "@micro/core";
import { decodeEnvelope } from "./envelope.js";
import { ERROR_ID, TOPIC_HEADER } from "./names.js";

/**
 * What became of one inbound message: every local handler of the node took it, one failed, or the
 * node `id` has no subscription for the topic here.
 */
export type Dispatched = "taken" | "failed" | "unknown";

/** Delivers one inbound message to the local subscriptions of node `id`; never rejects. */
export type Dispatch = (id: string, topic: string, message: BrokerMessage) => Promise<Dispatched>;

export interface BrokerServerOptions {
  host: string;
  port: number;
  /** With a certificate (cert/key or pfx) the endpoint is https. */
  tls?: TLSOptions | undefined;
  /** Largest accepted request body in bytes. */
  maxBodySize: number;
  dispatch: Dispatch;
  logger: Logger;
}

export interface BrokerServer {
  /** The bound host and port. */
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  /** Whether the listener keeps the process alive (only while something here is subscribed). */
  hold(hold: boolean): void;
  close(): Promise<void>;
}

/** Whether `tls` carries what a listener needs to serve https. */
export function servesTLS(tls: TLSOptions | undefined): boolean {
  return !!tls && (!!(tls.cert && tls.key) || !!tls.pfx);
}

function fail(res: ServerResponse, err: MicroError, status = err.code): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(err.toString()),
  });
  res.end(err.toString());
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, size)));
    req.on("error", reject);
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: BrokerServerOptions,
): Promise<void> {
  if (req.method !== "POST") {
    // byte-identical to Go: http.Error(w, BadRequest(...).Error(), 405) — code 400 inside a 405
    const err = MicroError.badRequest(ERROR_ID, "Method not allowed");
    const text = `${err.toString()}\n`;
    res.writeHead(405, {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  const tooLarge = () =>
    MicroError.tooLarge(ERROR_ID, `Request body larger than ${options.maxBodySize} bytes`);
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > options.maxBodySize) {
    // the connection cannot be reused without reading the body we refuse to read
    res.setHeader("Connection", "close");
    fail(res, tooLarge());
    return;
  }
  let raw: Buffer;
  try {
    raw = await readBody(req, options.maxBodySize);
  } catch (err) {
    if (err instanceof TooLarge) {
      res.setHeader("Connection", "close");
      fail(res, tooLarge());
    } else {
      fail(res, MicroError.internal(ERROR_ID, `Error reading request body: ${(err as Error).message}`));
    }
    return;
  }
  let message: BrokerMessage;
  try {
    message = decodeEnvelope(raw.toString("utf8"));
  } catch (err) {
    fail(res, MicroError.badRequest(ERROR_ID, `Error parsing request body: ${(err as Error).message}`));
    return;
  }
  const topic = message.header[TOPIC_HEADER];
  if (!topic) {
    fail(res, MicroError.internal(ERROR_ID, "Topic not found"));
    return;
  }
  const id = new URL(req.url ?? "/", "http://broker").searchParams.get("id") ?? "";
  // Answer after the handlers ran, as Go does: the publisher's POST then paces it to its subscribers.
  const outcome = await options.dispatch(id, topic, message);
  if (outcome === "failed") {
    // the handler's error stays in this process's log: the publisher learns only that it failed
    fail(res, MicroError.internal(ERROR_ID, `subscriber of ${topic} failed`));
    return;
  }
  if (outcome === "unknown") {
    fail(res, MicroError.notFound(ERROR_ID, `no subscription for ${topic} here`));
    return;
  }
  res.writeHead(200, { "Content-Length": 0 });
  res.end();
}

export async function startBrokerServer(options: BrokerServerOptions): Promise<BrokerServer> {
  const secure = servesTLS(options.tls);
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, options).catch((err) => {
      options.logger.error("http broker: request failed", err);
      fail(res, MicroError.internal(ERROR_ID, "internal error"));
    });
  };
  const server: Server = secure
    ? createHttpsServer(options.tls ?? {}, onRequest)
    : createHttpServer(onRequest);
  // a client dropping mid-request must not take the process down
  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    host: bound.address,
    port: bound.port,
    secure,
    hold: (hold) => void (hold ? server.ref() : server.unref()),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // requests still in flight get a moment to finish, then their sockets are cut
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}
