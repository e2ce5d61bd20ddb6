// The dialing side: messages go to the server's subject with reply-to = our inbox; whatever arrives
// on the inbox is the server's. A NATS "no responders" status on the inbox means the listener is gone.
// recvInto (core's callback receive) hands a reply to the waiting call straight from the inbox
// callback: no promise and no turn between the reply's arrival and the call's answer.
import { MicroError, type TransportMessage } from "@micro/core";
import type { CallbackSocket } from "@micro/core/plugin-kit";
import type { Msg, NatsConnection } from "@nats-io/nats-core";
import { CLIENT_ERROR_ID, eofError, noListener } from "./errors.js";
import { closeFrame, encodeFrame } from "./frame.js";
import { FrameMemo } from "./frame-memo.js";
import { Inbound } from "./inbound.js";
import type { Inboxes } from "./inboxes.js";
import { publishFrame } from "./publish.js";

export class NatsClientSocket implements CallbackSocket {
  readonly local: string;
  readonly remote: string;
  readonly #inbound = new Inbound(CLIENT_ERROR_ID);
  readonly #frames = new FrameMemo();
  #closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly inboxes: Inboxes,
    subject: string,
  ) {
    this.remote = subject;
    this.local = inboxes.open((msg) => this.#receive(msg));
  }

  get closed(): boolean {
    return this.#closed;
  }

  async send(message: TransportMessage): Promise<void> {
    if (this.#closed) throw eofError(CLIENT_ERROR_ID);
    publishFrame(this.nc, this.remote, encodeFrame(message), CLIENT_ERROR_ID, this.local);
  }

  recv(): Promise<TransportMessage> {
    return this.#inbound.next();
  }

  recvInto(resolve: (m: TransportMessage) => void, reject: (e: unknown) => void): void {
    this.#inbound.nextInto(resolve, reject);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#gone();
    this.#inbound.abort();
    // tell the server socket it can go; best effort, the server's idle timeout covers a lost one
    if (!this.nc.isClosed() && !this.nc.isDraining()) {
      try {
        publishFrame(this.nc, this.remote, closeFrame(), CLIENT_ERROR_ID, this.local);
      } catch {
        // connection going away: nothing to tell
      }
    }
  }

  /** Drops the socket without telling the server (a failed dial). */
  discard(): void {
    if (this.#closed) return;
    this.#gone();
    this.#inbound.abort();
  }

  #gone(): void {
    this.#closed = true;
    this.inboxes.release(this.local);
  }

  #receive(msg: Msg): void {
    if (msg.headers?.code === 503) {
      this.#gone();
      this.#inbound.fail(noListener(this.remote));
      return;
    }
    let frame: ReturnType<FrameMemo["decode"]>;
    try {
      frame = this.#frames.decode(msg.data);
    } catch (err) {
      this.#gone();
      this.#inbound.fail(
        new MicroError(CLIENT_ERROR_ID, `nats transport: malformed frame: ${(err as Error).message}`, 500),
      );
      return;
    }
    if (frame === "close") {
      this.#gone();
      this.#inbound.end();
    } else this.#inbound.push(frame);
  }
}
