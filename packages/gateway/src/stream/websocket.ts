// A WebSocket on an endpoint's path is one RPC stream: each text frame the browser sends is a
// message to the service, each message from the service a text frame back. Both directions hold
// back-pressure: the socket is paused while sends to the service queue up, and replies wait while
// the browser's side is full, so a flood is bounded by two small buffers.
//
// Ending: an empty text frame is the browser's half-close (closeSend: the service sees EOF and
// replies still arrive); a close frame ends the stream (also a half-close, so a client-stream
// handler still completes, but replies after it are not delivered). The service's end of stream
// closes the socket with 1000; a micro error closes it with 4000 + status and the error JSON.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type ClientStream, Frame, MicroError } from "@micro/core";
import { type WebSocket, WebSocketServer } from "ws";
import type { Account } from "../auth/account.js";
import type { GatewayContext } from "../context.js";
import { GATEWAY_ID, toGatewayError } from "../http/errors.js";
import type { RpcTarget } from "../rpc/call.js";
import { assertJson } from "../rpc/content-type.js";
import { metadataOf } from "../rpc/metadata.js";
import { closeCode, closeReason } from "./close-codes.js";

/** Unanswered sends to the service before the socket is paused. */
const MAX_PENDING_SENDS = 32;
/** Bytes waiting for the browser before replies are held back. */
const MAX_BUFFERED = 1 << 20;
/** How long a stream may finish after the browser closed, before it is cut. */
const DRAIN_AFTER_CLOSE_MS = 5000;
const PING_EVERY_MS = 30_000;

const servers = new WeakMap<GatewayContext, WebSocketServer>();

function serverFor(ctx: GatewayContext): WebSocketServer {
  let wss = servers.get(ctx);
  if (!wss) {
    wss = new WebSocketServer({
      noServer: true,
      maxPayload: ctx.options.maxBodyBytes,
      // compression costs CPU per message and opens memory attacks; JSON frames are small
      perMessageDeflate: false,
    });
    const alive = new WeakSet<WebSocket>();
    wss.on("connection", (ws) => {
      alive.add(ws);
      ws.on("pong", () => alive.add(ws));
    });
    // a browser that vanished without a close frame is found by the missing pong
    const ping = setInterval(() => {
      for (const ws of wss!.clients) {
        if (!alive.has(ws)) ws.terminate();
        else {
          alive.delete(ws);
          ws.ping();
        }
      }
    }, PING_EVERY_MS);
    ping.unref();
    wss.on("close", () => clearInterval(ping));
    servers.set(ctx, wss);
  }
  return wss;
}

export function closeWebSockets(ctx: GatewayContext): void {
  const wss = servers.get(ctx);
  if (!wss) return;
  for (const ws of wss.clients) ws.close(1001, "gateway shutting down");
  wss.close();
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function openStream(
  ctx: GatewayContext,
  target: RpcTarget,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  account: Account | undefined,
): void {
  if (ctx.stats.websockets >= ctx.options.maxWebSockets) {
    refuse(socket, 503, "Service Unavailable");
    return;
  }
  const metadata = metadataOf(req, account);
  serverFor(ctx).handleUpgrade(req, socket, head, (ws) => bridge(ctx, target, ws, metadata));
}

function bridge(
  ctx: GatewayContext,
  target: RpcTarget,
  ws: WebSocket,
  metadata: Record<string, string>,
): void {
  const { stats } = ctx;
  stats.websockets++;
  const stream: ClientStream<Frame, Frame> = ctx.client.stream<Frame, Frame>(
    target.service,
    target.endpoint,
    undefined,
    {
      contentType: "application/json",
      metadata,
      responseType: Frame,
    },
  );
  let pending = 0;
  let sending: Promise<void> = Promise.resolve();
  let finished = false;

  const fail = (err: unknown) => {
    if (finished) return;
    finished = true;
    const e = toGatewayError(err);
    if (ws.readyState === ws.OPEN) ws.close(closeCode(e), closeReason(e));
    void stream.close();
  };

  ws.on("message", (data, isBinary) => {
    if (finished) return;
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) {
      fail(MicroError.badRequest(GATEWAY_ID, "send JSON messages as text frames"));
      return;
    }
    stats.websocketMessagesIn++;
    if (buf.length === 0) {
      sending = sending.then(() => stream.closeSend()).catch(fail);
      return;
    }
    try {
      assertJson(buf);
    } catch (err) {
      fail(err);
      return;
    }
    pending++;
    if (pending >= MAX_PENDING_SENDS) ws.pause();
    sending = sending
      .then(() => stream.send(new Frame(buf)))
      .then(() => {
        if (--pending < MAX_PENDING_SENDS / 2) ws.resume();
      })
      .catch(fail);
  });

  // A server stream takes nothing after its request: when the browser goes, nothing is left to
  // finish and it ends at once. Other kinds (or a kind the registry does not say) get the end of
  // input first, so a client stream's handler can complete, and are cut if they linger.
  let serverStream = false;
  ctx.cache.get(target.service).then(
    (versions) => {
      serverStream = versions.some((v) =>
        v.endpoints.some((e) => e.name === target.endpoint && e.metadata.stream_kind === "server"),
      );
    },
    () => {},
  );
  ws.on("close", () => {
    stats.websockets--;
    if (finished) return;
    if (serverStream) {
      finished = true;
      void stream.close();
      return;
    }
    sending = sending.then(() => stream.closeSend()).catch(() => {});
    setTimeout(() => void stream.close(), DRAIN_AFTER_CLOSE_MS).unref();
  });
  ws.on("error", () => void stream.close());

  void (async () => {
    try {
      for (;;) {
        const msg = await stream.recv();
        if (msg === undefined) break;
        if (ws.readyState !== ws.OPEN) continue; // closed by the browser: drain without delivering
        stats.websocketMessagesOut++;
        if (ws.bufferedAmount > MAX_BUFFERED) {
          // wait for this frame to leave before reading the next from the service
          await new Promise<void>((resolve) => ws.send(msg.data, { binary: false }, () => resolve()));
        } else ws.send(msg.data, { binary: false });
      }
      if (!finished) {
        finished = true;
        if (ws.readyState === ws.OPEN) ws.close(1000, "EOS");
        await stream.close();
      }
    } catch (err) {
      fail(err);
    }
  })();
}
