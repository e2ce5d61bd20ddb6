// Publishes on one connection: handed to the NATS client together, about twice per event-loop turn
// instead of one write each (turns.ts), and kept while the connection is away, so that what is
// published then is sent once it is back instead of being lost.
//
// Keeping: @nats-io/nats-core 3.4.0 buffers what is published while it is disconnected, but empties
// that buffer every time it dials again (ProtocolHandler.prepare() → resetOutbound()): everything
// published between the disconnect and the reconnect was dropped, while publish() had succeeded.
// Go's client keeps up to ReconnectBufSize (8 MB) and sends it after reconnecting. So does the
// outbox: while the client is not connected (link.ts: known at once, not from the late status
// events) messages stay here, up to `reconnectBufferSize` bytes, and go to the client in order once
// it is connected again; beyond the limit push() throws a 503 MicroError, as Go's Publish returns
// ErrReconnectBufExceeded.
//
// Confirming (`confirm: true`: the broker and the registry): what was handed to the client just
// before its socket died is lost as well — in the client's buffer, the socket's or the server's —
// since a dead socket is noticed late. With confirm, the outbox also keeps what it handed over until
// a PING/PONG round trip shows the server has read it (confirmer.ts), and hands it over again on the
// next socket: at-least-once, so a message the server had read before dying arrives twice. While
// connected, kept messages beyond the limit are forgotten oldest first (they went to a live socket,
// which is all Go's client promises) rather than refusing publishes.
//
// Lingering (`linger` ms, the broker): a PONG says the server read a message, not that it kept it.
// A stopping nats-server 2.9 shuts JetStream down before it closes its client sockets, and what an
// interest-retention stream stores in between is gone after the restart although the server read it
// (and acknowledged it, with a JetStream publish too). So confirmed messages stay kept for `linger`
// more, and a reconnect within that time sends them again too: more duplicates, no such loss.
//
// Everything published on a connection that uses an outbox must go through it (or flush it first),
// or messages overtake each other. Callers check what the client would refuse before push(), so
// refusals stay immediate.
import { MicroError } from "@micro/core";
import type { NatsConnection } from "@nats-io/nats-core";
import { Confirmer } from "./confirmer.js";
import { FrameQueue, frameBytes } from "./frame-queue.js";
import { currentLink } from "./link.js";
import { Turns } from "./turns.js";

/** Go's ReconnectBufSize: what is kept for a connection that is away, 8 MiB. */
export const RECONNECT_BUFFER_SIZE = 8 * 1024 * 1024;
/** Messages waiting for the end of a turn are handed over at this many (bounds memory per turn). */
const MAX_WAITING = 1024;
/** How long after a hand-over the PING that confirms it is sent, ms. */
const CONFIRM_DELAY = 10;
/** The link of an outbox that keeps nothing: the client's state does not matter to it. */
const UNTRACKED: object = Object.freeze({});

export interface OutboxOptions {
  /** Bytes kept while the connection is away (default 8 MiB, Go's); 0 keeps nothing. */
  reconnectBufferSize?: number;
  /** Keep what was handed over until the server confirms it; send it again after a reconnect. */
  confirm?: boolean;
  /** With confirm: how long a confirmed message stays kept (and is resent after a reconnect), ms (default 0). */
  linger?: number;
  /** Hears of messages that will not be sent: the connection closed for good before they went. */
  onLost?: (count: number, err: unknown) => void;
  /** Hears that the client is connected again and `count` kept messages go now, `again` of them resent. */
  onResume?: (count: number, again: number) => void;
  /** Id of the 503 MicroError thrown when the buffer is full (default "go.micro.client"). */
  errorId?: string;
  /** Who publishes, for that error's detail (default "nats"). */
  what?: string;
}

export class Outbox {
  readonly #frames = new FrameQueue();
  readonly #turns = new Turns(() => this.flush());
  readonly #confirmer: Confirmer | undefined;
  readonly #limit: number;
  readonly #options: OutboxOptions;
  /** Messages at the head of #frames already handed to the client on #link. */
  #handed = 0;
  /** The absolute number after the last message the current socket's server confirmed. */
  #confirmedEnd = 0;
  /** Confirmed marks lingering (absolute numbers), and when each is released, oldest first. */
  #lingering: number[] = [];
  #releaseAt: number[] = [];
  #lingerTimer: NodeJS.Timeout | undefined;
  #link: object | undefined;
  /** Messages handed over on an earlier socket, not confirmed: they go again on the next one. */
  #again = 0;

  constructor(
    readonly nc: NatsConnection,
    options: OutboxOptions = {},
  ) {
    this.#options = options;
    this.#limit = Math.max(0, options.reconnectBufferSize ?? RECONNECT_BUFFER_SIZE);
    this.#link = this.#current();
    if (this.#limit === 0) return;
    if (options.confirm) this.#confirmer = new Confirmer(nc, CONFIRM_DELAY, this.#mark, this.#confirmed);
    this.#follow();
  }

  /** Messages kept: held while disconnected, waiting for the turn's end, or handed over but not confirmed. */
  get pending(): number {
    return this.#frames.length;
  }

  /** Their bytes (payload, subject and reply subject), which the reconnect buffer's limit counts. */
  get pendingBytes(): number {
    return this.#frames.bytes;
  }

  /**
   * Hands one message to the client now, or keeps it until the end of the turn, or while the client
   * is not connected. Throws a 503 MicroError when it is not connected and the buffer is full.
   */
  push(subject: string, payload: Uint8Array, reply?: string): void {
    const link = this.#current();
    if (link !== this.#link) this.#relink(link);
    if (link === undefined) {
      this.#hold(subject, payload, reply);
      return;
    }
    if (this.#confirmer !== undefined) this.#makeRoom(frameBytes(subject, payload, reply));
    this.#frames.push(subject, payload, reply);
    if (this.#turns.direct()) {
      this.#handOver();
      this.#turns.handedOver();
    } else if (this.#frames.length - this.#handed >= MAX_WAITING) this.#handOver();
  }

  /** Hands every waiting message to the client now, if it is connected. */
  flush(): void {
    const link = this.#current();
    if (link !== this.#link) this.#relink(link);
    if (link !== undefined && this.#handed < this.#frames.length) this.#handOver();
  }

  #current(): object | undefined {
    return this.#limit === 0 ? UNTRACKED : currentLink(this.nc);
  }

  #hold(subject: string, payload: Uint8Array, reply: string | undefined): void {
    if (this.nc.isClosed()) {
      this.#lost(1, new Error("connection closed"));
      return;
    }
    if (this.#frames.bytes + frameBytes(subject, payload, reply) > this.#limit) {
      const { errorId = "go.micro.client", what = "nats" } = this.#options;
      throw new MicroError(
        errorId,
        `${what}: not connected to nats and the reconnect buffer is full (${this.#limit} bytes kept): message not sent`,
        503,
      );
    }
    this.#frames.push(subject, payload, reply);
  }

  #handOver(): void {
    const frames = this.#frames;
    const nc = this.nc;
    while (this.#handed < frames.length) {
      const i = this.#handed++;
      const reply = frames.reply(i);
      try {
        nc.publish(frames.subject(i), frames.payload(i), reply === undefined ? undefined : { reply });
      } catch (err) {
        if (nc.isClosed() || nc.isDraining()) {
          // the rest is lost with the connection
          this.#lost(frames.length - i, err);
          frames.clear();
          this.#handed = 0;
          return;
        }
        // this message only (say, over the max_payload of the server reconnected to); it counts as
        // handed over so that it does not block the others
        this.#lost(1, err);
      }
    }
    if (this.#confirmer === undefined) {
      frames.dropHead(this.#handed);
      this.#handed = 0;
    } else this.#confirmer.request();
  }

  /** The client's socket changed (or went): with confirm, what the old one did not confirm goes again. */
  #relink(link: object | undefined): void {
    this.#link = link;
    if (this.#confirmer !== undefined) {
      this.#again += this.#handed;
      this.#handed = 0;
      this.#confirmer.cancel();
      // nothing is confirmed on the new socket; lingering messages go again with the others
      this.#confirmedEnd = this.#frames.first;
      this.#stopLingering();
    }
    if (link === undefined || this.#frames.length === 0) return;
    // the messages themselves go with the caller's hand-over (a push, a flush, the end of the turn)
    this.#options.onResume?.(this.#frames.length, Math.min(this.#again, this.#frames.length));
    this.#again = 0;
  }

  /**
   * Connected with confirm: the oldest messages sent are forgotten to keep within the limit, a
   * sixteenth of it more than needed, so that a publisher at the limit does not pay this per message.
   */
  #makeRoom(size: number): void {
    const frames = this.#frames;
    if (frames.bytes + size <= this.#limit) return;
    const over = frames.bytes + size - this.#limit + (this.#limit >> 4);
    let n = 0;
    for (let freed = 0; n < this.#handed && freed < over; n++) freed += frames.size(n);
    frames.dropHead(n);
    this.#handed -= n;
  }

  /** What a round trip starting now confirms: every message handed over on the current socket. */
  readonly #mark = (): number | undefined => {
    this.flush(); // a socket that changed since: relink and hand over again first
    const end = this.#frames.first + this.#handed;
    return this.#link !== undefined && end > this.#confirmedEnd ? end : undefined;
  };

  readonly #confirmed = (mark: number): void => {
    if (mark <= this.#confirmedEnd) return;
    this.#confirmedEnd = mark;
    const linger = this.#options.linger ?? 0;
    if (linger <= 0) this.#release(mark);
    else {
      this.#lingering.push(mark);
      this.#releaseAt.push(Date.now() + linger);
      this.#lingerTimer ??= setTimeout(this.#releaseDue, linger).unref();
    }
    if (this.#frames.first + this.#handed > this.#confirmedEnd) this.#confirmer?.request();
  };

  /** Forgets the messages before `mark` (absolute), those still kept. */
  #release(mark: number): void {
    const n = Math.min(mark - this.#frames.first, this.#handed);
    if (n <= 0) return;
    this.#frames.dropHead(n);
    this.#handed -= n;
  }

  readonly #releaseDue = (): void => {
    this.#lingerTimer = undefined;
    const now = Date.now();
    let i = 0;
    while (i < this.#lingering.length && this.#releaseAt[i]! <= now) i++;
    if (i > 0) this.#release(this.#lingering[i - 1]!);
    this.#lingering.splice(0, i);
    this.#releaseAt.splice(0, i);
    if (this.#releaseAt.length > 0)
      this.#lingerTimer = setTimeout(this.#releaseDue, this.#releaseAt[0]! - now).unref();
  };

  #stopLingering(): void {
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
    this.#lingering = [];
    this.#releaseAt = [];
  }

  #follow(): void {
    const nc = this.nc;
    if (typeof nc.status !== "function" || typeof nc.closed !== "function") return; // a stand-in
    // connected again: what was kept goes now, even if nothing else is published
    void (async () => {
      for await (const s of nc.status()) if (s.type === "reconnect") this.flush();
    })().catch(() => {});
    void nc.closed().then(this.#closedForGood, this.#closedForGood);
  }

  readonly #closedForGood = (err?: unknown): void => {
    this.#confirmer?.stop();
    this.#stopLingering();
    const unsent = this.#frames.length - this.#handed;
    this.#frames.clear();
    this.#handed = 0;
    if (unsent > 0) this.#lost(unsent, err instanceof Error ? err : new Error("connection closed"));
  };

  #lost(count: number, err: unknown): void {
    this.#options.onLost?.(count, err);
  }
}
