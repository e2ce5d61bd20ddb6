// A subscription over WebSocket: `GET /broker/{topic}[?queue=q][&envelope=1]` with an upgrade. Each
// message is one frame: its body as text when it is UTF-8 (JSON is), else binary; with `envelope=1`
// the JSON envelope of message.ts as text. Frames from the client are ignored. The subscription is
// made before the handshake is answered, so a failure is an HTTP error the client can read, and the
// open socket means subscribed. A client that falls behind by more than the limit is closed with
// 4503 and go-micro's error JSON; closing the socket unsubscribes.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type BrokerEvent, MicroError } from "@micro/core";
import { type WebSocket, WebSocketServer } from "ws";
import type { GatewayContext } from "../context.js";
import { GATEWAY_ID } from "../http/errors.js";
import { closeCode, closeReason } from "../stream/close-codes.js";
import { envelope, isText } from "./message.js";
import type { SidecarSettings } from "./options.js";
import { type Subscriber, type Subscribers, unsubscribeOnce } from "./subscribers.js";

const PING_EVERY_MS = 30_000;

/** The WebSocket server of one sidecar: handshakes only, plus the ping that finds vanished clients. */
export class SubscriberSockets {
  readonly #wss = new WebSocketServer({
    noServer: true,
    // nothing is read from subscribers: a small cap keeps a misbehaving client cheap
    maxPayload: 64 * 1024,
    perMessageDeflate: false,
  });
  readonly #alive = new WeakSet<WebSocket>();
  readonly #ping: NodeJS.Timeout;

  constructor() {
    this.#wss.on("connection", (ws) => {
      this.#alive.add(ws);
      ws.on("pong", () => this.#alive.add(ws));
    });
    this.#ping = setInterval(() => {
      for (const ws of this.#wss.clients) {
        if (!this.#alive.has(ws)) ws.terminate();
        else {
          this.#alive.delete(ws);
          ws.ping();
        }
      }
    }, PING_EVERY_MS);
    this.#ping.unref();
  }

  async open(
    ctx: GatewayContext,
    settings: SidecarSettings,
    subscribers: Subscribers,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    topic: string,
    options: { queue: string | undefined; envelope: boolean },
  ): Promise<void> {
    subscribers.admit(ctx);
    let ws: WebSocket | undefined;
    let open = true;
    const early: BrokerEvent[] = [];
    const send = (event: BrokerEvent) => {
      if (!open) return;
      if (!ws) {
        early.push(event);
        return;
      }
      if (ws.readyState !== ws.OPEN) return;
      const body = event.message.body;
      if (options.envelope) ws.send(envelope(event.topic || topic, event.message), { binary: false });
      else ws.send(body, { binary: !isText(body) });
      ctx.stats.websocketMessagesOut++;
      if (ws.bufferedAmount > settings.maxSubscriberBuffer) {
        const err = new MicroError(
          GATEWAY_ID,
          `subscriber too slow: over ${settings.maxSubscriberBuffer} bytes unsent`,
          503,
        );
        ctx.logger.warn(`sidecar: dropping a subscriber of ${topic}: ${err.detail}`);
        ws.close(closeCode(err), closeReason(err));
        finish();
      }
    };
    const sub = await subscribers.subscribe(ctx, topic, options.queue, send);
    const unsubscribe = unsubscribeOnce(sub, ctx);
    const subscriber: Subscriber = {
      end: () => {
        if (!ws) socket.destroy();
        else if (ws.readyState === ws.OPEN) ws.close(1001, "sidecar shutting down");
        finish();
      },
    };
    const finish = () => {
      if (!open) return;
      open = false;
      subscribers.delete(subscriber);
      unsubscribe();
    };
    // a handshake ws refuses (or a client gone meanwhile) never reaches the callback: the socket's
    // close is then the only sign, and it must still end the subscription
    socket.once("close", finish);
    if (socket.destroyed) {
      finish();
      return;
    }
    subscribers.add(subscriber);
    this.#wss.handleUpgrade(req, socket, head, (client) => {
      ws = client;
      ctx.stats.websockets++;
      client.on("close", () => {
        ctx.stats.websockets--;
        finish();
      });
      client.on("message", () => {
        ctx.stats.websocketMessagesIn++;
      });
      client.on("error", () => client.terminate());
      for (const e of early.splice(0)) send(e);
    });
  }

  close(): void {
    clearInterval(this.#ping);
    for (const ws of this.#wss.clients) ws.close(1001, "sidecar shutting down");
    this.#wss.close();
  }
}
