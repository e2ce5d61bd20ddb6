// The accepted side: one per client reply subject. Replies are published to that subject. The
// socket is released by the client's close frame, by our close(), or after `idleTimeout` ms
// without traffic either way (Go's NATS transport: one minute), because Go clients never say goodbye.
import { MicroError, type Socket, type TransportMessage } from "@micro/core";
import type { NatsConnection } from "@nats-io/nats-core";
import { eofError, SERVER_ERROR_ID } from "./errors.js";
import { closeFrame, encodeFrame } from "./frame.js";
import { IdleTimer } from "./idle-timer.js";
import { Inbound } from "./inbound.js";
import { publishFrame } from "./publish.js";

export class NatsServerSocket implements Socket {
  readonly #inbound = new Inbound(SERVER_ERROR_ID);
  #closed = false;
  readonly #idle: IdleTimer;

  constructor(
    private readonly nc: NatsConnection,
    readonly local: string,
    readonly remote: string,
    idleTimeout: number,
    private readonly onGone: (s: NatsServerSocket) => void,
  ) {
    this.#idle = new IdleTimer(idleTimeout, () => this.#idled());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A message from the client. */
  deliver(message: TransportMessage): void {
    this.#idle.touch();
    this.#inbound.push(message);
  }

  /** The client closed: what it sent before is still read, then EOF. */
  peerClosed(): void {
    this.#release();
    this.#inbound.end();
  }

  async send(message: TransportMessage): Promise<void> {
    if (this.#closed) throw eofError(SERVER_ERROR_ID);
    this.#idle.touch();
    publishFrame(this.nc, this.remote, encodeFrame(message), SERVER_ERROR_ID);
  }

  recv(): Promise<TransportMessage> {
    return this.#inbound.next();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#release();
    this.#inbound.abort();
    if (!this.nc.isClosed()) {
      try {
        publishFrame(this.nc, this.remote, closeFrame(), SERVER_ERROR_ID);
      } catch {
        // connection going away: the client learns from its own timeout
      }
    }
  }

  #idled(): void {
    if (this.#closed) return;
    // no close frame: a pooled client's next message simply opens a new server socket, as in Go
    this.#release();
    this.#inbound.fail(MicroError.timeout(SERVER_ERROR_ID, "deadline exceeded"));
  }

  #release(): void {
    this.#closed = true;
    this.#idle.stop();
    this.onGone(this);
  }
}
