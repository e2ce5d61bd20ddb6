// One socket multiplexed on a MuxConnection: the same contract as a dialed/accepted HttpSocket (one
// conversation; recv() rejects with EOF once either side closes), so core's client pool and server
// connection use it unchanged. Per-socket flow control: at most WINDOW bytes (plus one message) sent
// and not yet read by the peer's consumer; the reader returns credit as its consumer pulls, so a
// stalled reader stops only its own sender, never the shared connection.
import { MicroError, type TransportMessage } from "@micro/core";
import { type CallbackSocket, markUnprocessed, type RefSocket } from "@micro/core/plugin-kit";
import { eofError, timeoutError } from "./errors.js";
import { CLOSE, CREDIT, DATA } from "./mux-frame.js";

export const WINDOW = 4 * 1024 * 1024;

/** What a MuxSocket needs from the connection it lives on. */
export interface MuxHost {
  readonly local: string;
  readonly retiring: boolean;
  readonly remote: string;
  readonly errorId: string;
  readonly timeout: number;
  /** Queues a frame for the end of this turn; the promise settles once it is written (or cannot be). */
  queue(
    type: number,
    id: number,
    n: number,
    header: Record<string, string> | undefined,
    body: Uint8Array,
  ): Promise<void>;
  forget(id: number): void;
  hold(delta: 1 | -1): void;
  /** A received body left this socket (taken by its consumer, or dropped): it no longer counts. */
  release(bytes: number): void;
}

interface Waiter {
  resolve: (m: TransportMessage) => void;
  reject: (e: unknown) => void;
}

interface Blocked {
  header: Record<string, string>;
  body: Uint8Array;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const EMPTY = new Uint8Array(0);

export class MuxSocket implements CallbackSocket, RefSocket {
  readonly local: string;
  readonly remote: string;
  #items: TransportMessage[] = [];
  #waiters: Waiter[] = [];
  #error: MicroError | undefined;
  #closed = false;
  /** The peer sent CLOSE (or the connection died): nothing more to tell it. */
  #peerGone = false;
  /** DATA messages this side sent, and those its consumer read (a CLOSE tells the peer the latter). */
  #sent = 0;
  #read = 0;
  /** Bytes queued here that the consumer has not pulled. */
  queued = 0;
  /** Bytes pulled by the consumer since credit was last returned. */
  #consumed = 0;
  /** Bytes sent that the peer has not returned credit for. */
  #inflight = 0;
  #blocked: Blocked[] = [];
  #held = true;
  /** Closed by its owner: queued bodies were released from the budget already. */
  #detached = false;

  constructor(
    private readonly host: MuxHost,
    readonly id: number,
  ) {
    this.local = host.local;
    this.remote = host.remote;
    host.hold(1);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Its connection takes no new sockets: a pool should close this one rather than reuse it. */
  get retiring(): boolean {
    return this.host.retiring;
  }

  send(message: TransportMessage): Promise<void> {
    if (this.#closed || this.#peerGone) return Promise.reject(eofError(this.host.errorId, false));
    const header = message.header;
    const body = message.body ?? EMPTY;
    if (this.#inflight >= WINDOW || this.#blocked.length > 0) {
      return new Promise((resolve, reject) => this.#blocked.push({ header, body, resolve, reject }));
    }
    return this.#queue(header, body);
  }

  recv(): Promise<TransportMessage> {
    return new Promise((resolve, reject) => this.recvInto(resolve, reject));
  }

  recvInto(resolve: (m: TransportMessage) => void, reject: (e: unknown) => void): void {
    if (this.#items.length > 0) {
      const m = this.#items.shift()!;
      this.queued -= m.body.length;
      if (!this.#detached) this.host.release(m.body.length);
      this.#pulled(m.body.length);
      resolve(m);
      return;
    }
    if (this.#error) {
      reject(this.#error);
      return;
    }
    const timeout = this.host.timeout;
    if (timeout <= 0) {
      this.#waiters.push({ resolve, reject });
      return;
    }
    // go-micro's transport Timeout: a read deadline; on expiry this socket (only) is done
    const timer = setTimeout(() => {
      this.#fail(timeoutError(this.host.errorId));
      void this.close();
    }, timeout);
    this.#waiters.push({
      resolve: (m) => {
        clearTimeout(timer);
        resolve(m);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    // one error for both: building one (its stack) is a fair part of a short call's cost
    const eof = eofError(this.host.errorId, false);
    this.#fail(eof);
    this.#unblock(eof);
    if (this.#held) this.#hold(false);
    // the owner will not read what is still queued: it no longer counts (nor again if it does)
    if (!this.#detached) {
      this.#detached = true;
      this.host.release(this.queued);
    }
    this.host.forget(this.id);
    if (!this.#peerGone) {
      this.#peerGone = true;
      // how many of the peer's messages were read: the peer knows the rest were never seen
      return this.host.queue(CLOSE, this.id, this.#read, undefined, EMPTY).catch(() => {});
    }
    return Promise.resolve();
  }

  ref(): void {
    if (!this.#held && !this.#closed) this.#hold(true);
  }

  unref(): void {
    if (this.#held) this.#hold(false);
  }

  #hold(on: boolean): void {
    this.#held = on;
    this.host.hold(on ? 1 : -1);
  }

  /** A DATA frame for this socket. */
  deliver(header: Record<string, string>, body: Buffer): void {
    if (this.#error) {
      this.host.release(body.length);
      return;
    }
    const m: TransportMessage = { header, body };
    const w = this.#waiters.shift();
    if (w) {
      this.host.release(body.length);
      this.#pulled(body.length);
      w.resolve(m);
      return;
    }
    this.queued += body.length;
    this.#items.push(m);
  }

  /** The peer's consumer read `n` more bytes: sends blocked on the window may go. */
  credit(n: number): void {
    this.#inflight = Math.max(0, this.#inflight - n);
    while (this.#blocked.length > 0 && this.#inflight < WINDOW && !this.#closed) {
      const b = this.#blocked.shift()!;
      this.#queue(b.header, b.body).then(b.resolve, b.reject);
    }
  }

  /**
   * The peer closed this socket after its consumer read `read` of our messages. If we sent more, the
   * rest were never read by a handler (a server closing an idle pooled socket while our next request
   * was on its way): the error says so, and a client may retry that request elsewhere.
   */
  closedByPeer(read: number): void {
    const err = eofError(this.host.errorId, false);
    this.peerClosed(read < this.#sent ? markUnprocessed(err) : err);
  }

  /** The peer closed this socket, or the connection is gone: buffered messages stay readable. */
  peerClosed(err: MicroError = eofError(this.host.errorId, false)): void {
    this.#peerGone = true;
    this.#fail(err);
    this.#unblock(err);
    if (!this.#closed) {
      this.#closed = true;
      if (this.#held) this.#hold(false);
    }
  }

  #queue(header: Record<string, string>, body: Uint8Array): Promise<void> {
    try {
      const sent = this.host.queue(DATA, this.id, 0, header, body);
      this.#inflight += body.length;
      this.#sent++;
      return sent;
    } catch (err) {
      // a header key the HTTP path would refuse too
      return Promise.reject(MicroError.internal(this.host.errorId, (err as Error).message));
    }
  }

  #pulled(n: number): void {
    this.#read++;
    if (this.#peerGone) return;
    this.#consumed += n;
    if (this.#consumed >= WINDOW / 2) {
      const c = this.#consumed;
      this.#consumed = 0;
      this.host.queue(CREDIT, this.id, c, undefined, EMPTY).catch(() => {});
    }
  }

  #fail(err: MicroError): void {
    if (this.#error) return;
    this.#error = err;
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }

  #unblock(err: MicroError): void {
    for (const b of this.#blocked.splice(0)) b.reject(err);
  }
}
