// A subscription as Server-Sent Events, for programs whose standard library has an HTTP client but
// no WebSocket: `GET /broker/{topic}` with `Accept: text/event-stream`. The subscription is made
// before the 200 goes out, so a client that sees the answer knows it is subscribed (the first line
// is the comment `: subscribed <topic>`). Then one `data:` event per message (the JSON envelope of
// message.ts) and a comment line every heartbeat. A client that does not read fast enough is dropped
// once its unsent bytes pass the limit: an `event: error` with go-micro's error JSON, then the end.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type BrokerEvent, MicroError } from "@micro/core";
import type { GatewayContext } from "../context.js";
import { GATEWAY_ID } from "../http/errors.js";
import { envelope } from "./message.js";
import type { SidecarSettings } from "./options.js";
import { type Subscriber, type Subscribers, unsubscribeOnce } from "./subscribers.js";

/** After the error event, how long a stuck client gets before its socket is cut. */
const LINGER_MS = 5000;

export function wantsEvents(req: IncomingMessage): boolean {
  return /\btext\/event-stream\b/i.test(req.headers.accept ?? "");
}

export async function serveEvents(
  ctx: GatewayContext,
  settings: SidecarSettings,
  subscribers: Subscribers,
  req: IncomingMessage,
  res: ServerResponse,
  topic: string,
  queue: string | undefined,
): Promise<void> {
  subscribers.admit(ctx);
  let open = true;
  // messages that arrive before the headers are out wait here (a handful at most)
  let early: string[] | undefined = [];
  const write = (text: string) => {
    if (!open) return;
    if (early) {
      early.push(text);
      return;
    }
    res.write(text);
    if (res.writableLength > settings.maxSubscriberBuffer) {
      drop(
        new MicroError(
          GATEWAY_ID,
          `subscriber too slow: over ${settings.maxSubscriberBuffer} bytes unsent`,
          503,
        ),
      );
    }
  };
  const onMessage = (event: BrokerEvent) =>
    write(`data: ${envelope(event.topic || topic, event.message)}\n\n`);
  const sub = await subscribers.subscribe(ctx, topic, queue, onMessage);
  const unsubscribe = unsubscribeOnce(sub, ctx);
  let heartbeat: NodeJS.Timeout | undefined;
  const subscriber: Subscriber = { end: () => finish() };
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    subscribers.delete(subscriber);
    unsubscribe();
    if (!res.writableEnded) res.end();
  };
  const drop = (err: MicroError) => {
    ctx.logger.warn(`sidecar: dropping a subscriber of ${topic}: ${err.detail}`);
    res.write(`event: error\ndata: ${err.toString()}\n\n`);
    finish();
    setTimeout(() => res.destroy(), LINGER_MS).unref();
  };
  res.once("close", finish);
  if (res.destroyed) {
    // the client left while the subscription was being made
    finish();
    return;
  }
  subscribers.add(subscriber);
  // a subscription lives as long as the client wants it: no idle timeout on its socket
  req.socket.setTimeout(0);
  res.writeHead(200, {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
    // nginx and friends would otherwise buffer the stream
    "X-Accel-Buffering": "no",
  });
  res.write(`: subscribed ${topic.replace(/[\r\n]/g, " ")}\n\n`);
  const waiting = early;
  early = undefined;
  for (const text of waiting) write(text);
  heartbeat = setInterval(() => write(": ping\n\n"), settings.eventsHeartbeat);
  heartbeat.unref();
}
