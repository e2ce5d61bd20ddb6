// What client and server sockets share: one TCP (or TLS) connection, an incremental parser feeding a
// queue that recv() drains, back-pressure both ways, and go-micro's EOF semantics.
import type { Socket as NetSocket } from "node:net";
import { MicroError, type TransportMessage } from "@micro/core";
import { type CallbackSocket, joinHostPort } from "@micro/core/plugin-kit";
import { eofError, FrameError, timeoutError } from "./errors.js";
import type { MessageHead, ParserMode } from "./head.js";
import { MessageQueue } from "./message-queue.js";
import type { SocketSettings } from "./options.js";
import { HttpParser, Phase } from "./parser.js";
import { writeFrame } from "./writer.js";

// Stop reading while this much is parsed but unread; resume at a quarter of it.
const HIGH_WATER_COUNT = 256;
const HIGH_WATER_BYTES = 8 * 1024 * 1024;
// How long a connection we are closing waits for the peer to read our last reply and hang up,
// before it is torn down (closing with unread input would reset the connection and lose the reply).
const LINGER_MS = 2_000;
const CLOSE_GRACE_MS = 1_000;

const DONE: Promise<void> = Promise.resolve();
const EMPTY = Buffer.alloc(0);
// Why reading is paused (it resumes once there is none): too much parsed and unread, or a body
// waiting for room in the transport's body budget.
const QUEUE_FULL = 1;
const BUDGET = 2;

export abstract class HttpSocket implements CallbackSocket {
  readonly local: string;
  readonly remote: string;
  protected readonly parser: HttpParser;
  readonly #queue: MessageQueue;
  #closed = false;
  #lingering = false;
  #paused = 0;
  /** The rest of a read the parser could not take yet (a body waiting for the budget). */
  #rest: Buffer | null = null;
  #drain: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | null = null;

  constructor(
    protected readonly conn: NetSocket,
    mode: ParserMode,
    protected readonly settings: SocketSettings,
    protected readonly errorId: string,
  ) {
    conn.setNoDelay(true);
    this.local = joinHostPort(conn.localAddress ?? "", conn.localPort ?? 0);
    this.remote = joinHostPort(conn.remoteAddress ?? "", conn.remotePort ?? 0);
    // the cap on body bytes concerns what peers send us: requests on the accepted side
    const budget = mode === "request" ? settings.budget : undefined;
    this.#queue = new MessageQueue(budget ? (n) => budget.release(n) : undefined);
    this.parser = new HttpParser(
      mode,
      { maxHeaderSize: settings.maxHeaderSize, maxBodySize: settings.maxMessageSize, budget },
      (head, body) => this.onMessage(head, body),
      () => this.#budgetGranted(),
    );
    conn.on("data", (chunk: Buffer) => this.#onData(chunk));
    conn.on("end", () => this.#onEnd());
    conn.on("error", (err) => this.#onError(err));
    conn.on("close", () => this.#onClose());
    conn.on("drain", () => this.#settleDrain());
  }

  get closed(): boolean {
    return this.#closed;
  }

  abstract send(message: TransportMessage): Promise<void>;

  /** A complete message arrived. */
  protected abstract onMessage(head: MessageHead, body: Buffer): void;

  /** The peer sent something unparseable; the queue must end with an error. */
  protected abstract onFrameError(err: FrameError): void;

  /** A read was taken in (the accepted side times its reads from here). */
  protected afterRead(): void {}

  recv(): Promise<TransportMessage> {
    if (this.settings.timeout > 0) return new Promise((resolve, reject) => this.recvInto(resolve, reject));
    this.#maybeResume();
    return this.#queue.pull();
  }

  recvInto(resolve: (m: TransportMessage) => void, reject: (e: unknown) => void): void {
    this.#maybeResume();
    const q = this.#queue;
    const timeout = this.settings.timeout;
    if (timeout <= 0) {
      q.pullInto(resolve, reject);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    q.pullInto(
      (m) => {
        clearTimeout(timer);
        resolve(m);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
    // still waiting (nothing was queued): the read deadline starts now
    if (q.waiting) {
      timer = setTimeout(() => {
        this.fail(timeoutError(this.errorId));
        this.conn.destroy();
      }, timeout);
    }
  }

  #maybeResume(): void {
    const q = this.#queue;
    if (this.#paused & QUEUE_FULL && q.length <= HIGH_WATER_COUNT / 4 && q.bytes <= HIGH_WATER_BYTES / 4) {
      this.#unpause(QUEUE_FULL);
    }
  }

  #pause(reason: number): void {
    if (this.#paused === 0) this.conn.pause();
    this.#paused |= reason;
  }

  #unpause(reason: number): void {
    if (this.#paused === 0) return;
    this.#paused &= ~reason;
    if (this.#paused === 0) this.conn.resume();
  }

  close(): Promise<void> {
    this.#closed = true;
    this.fail(eofError(this.errorId, false));
    // the owner will not take what is still queued: its body bytes no longer count
    this.#queue.detach();
    const conn = this.conn;
    if (conn.destroyed) return DONE;
    // already closing after a last reply (linger): that ends it, the peer having read the reply
    if (this.#lingering) return new Promise((resolve) => conn.once("close", () => resolve()));
    return new Promise((resolve) => {
      // flush what send() already accepted, like Go's Close after a Write, but never hang on a
      // peer that stopped reading
      const timer = setTimeout(() => conn.destroy(), CLOSE_GRACE_MS);
      conn.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      conn.destroySoon();
    });
  }

  /** Hands a message (or a per-message error) to recv(), pausing the connection if too much is unread. */
  protected deliver(entry: TransportMessage | MicroError): void {
    const q = this.#queue;
    q.push(entry);
    if (!(this.#paused & QUEUE_FULL) && (q.length >= HIGH_WATER_COUNT || q.bytes >= HIGH_WATER_BYTES)) {
      this.#pause(QUEUE_FULL);
    }
  }

  /** Ends the receive side: buffered messages stay readable, then recv() rejects with `err`. */
  protected fail(err: MicroError): void {
    this.#queue.fail(err);
    this.parser.stop();
    if (this.#rest !== null) {
      this.#rest = null;
      this.#unpause(BUDGET);
    }
  }

  /** Writes one frame; resolves once the OS has it or the socket buffer has room again. */
  protected write(head: string, body: Uint8Array): Promise<void> {
    if (this.#closed || this.conn.destroyed || !this.conn.writable) {
      return Promise.reject(eofError(this.errorId, false));
    }
    return writeFrame(this.conn, head, body) ? DONE : this.#drained();
  }

  /**
   * Stops reading and closes once our last reply is flushed, keeping the connection open a little
   * longer (input discarded) so the peer can read that reply before the connection goes away.
   */
  protected linger(): void {
    this.#closed = true;
    this.parser.stop();
    this.#rest = null;
    const conn = this.conn;
    if (conn.destroyed || this.#lingering) return;
    this.#lingering = true;
    if (this.#paused) {
      this.#paused = 0;
      conn.resume();
    }
    const timer = setTimeout(() => conn.destroy(), LINGER_MS);
    timer.unref();
    conn.once("close", () => clearTimeout(timer));
    conn.end();
  }

  /** Bytes read before this socket took the connection over (the listener's first read). */
  feed(chunk: Buffer): void {
    this.#onData(chunk);
  }

  #onData(chunk: Buffer): void {
    // reading is paused for the budget, but a read already under way still lands here
    if (this.#rest !== null) {
      this.#rest = this.#rest.length === 0 ? chunk : Buffer.concat([this.#rest, chunk]);
      return;
    }
    this.#parse(chunk);
  }

  #budgetGranted(): void {
    const rest = this.#rest ?? EMPTY;
    this.#rest = null;
    this.#unpause(BUDGET);
    if (rest.length > 0) this.#parse(rest);
    else this.afterRead();
  }

  #parse(chunk: Buffer): void {
    try {
      const used = this.parser.execute(chunk);
      if (this.parser.phase === Phase.Waiting) {
        // a body waits for room in the budget: keep the rest of this read, read no more
        this.#rest = used < chunk.length ? chunk.subarray(used) : EMPTY;
        this.#pause(BUDGET);
      }
      this.afterRead();
    } catch (err) {
      if (err instanceof FrameError) this.onFrameError(err);
      else {
        // a bug of ours must not take the process down: end this connection only
        this.settings.logger.error(`http transport: ${this.remote}: ${String(err)}`);
        this.fail(MicroError.from(err, this.errorId));
        this.conn.destroy();
      }
    }
  }

  #onEnd(): void {
    const mid = this.parser.end();
    this.#closed = true;
    this.fail(eofError(this.errorId, mid));
  }

  #onError(err: Error & { code?: string }): void {
    const mid = this.parser.midMessage;
    this.#closed = true;
    // a reset is the peer going away, as far as the layers above are concerned
    const gone = err.code === "ECONNRESET" || err.code === "EPIPE";
    this.fail(gone ? eofError(this.errorId, mid) : MicroError.internal(this.errorId, err.message));
    this.settings.logger.debug(`http transport: ${this.remote}: ${err.message}`);
  }

  #onClose(): void {
    this.#closed = true;
    this.fail(eofError(this.errorId, false));
    this.#settleDrain(eofError(this.errorId, false));
  }

  #drained(): Promise<void> {
    if (this.#drain) return this.#drain.promise;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#drain = { promise, resolve, reject };
    const timeout = this.settings.timeout;
    if (timeout > 0) {
      const timer = setTimeout(() => {
        this.#settleDrain(timeoutError(this.errorId));
        this.conn.destroy();
      }, timeout);
      const clear = () => clearTimeout(timer);
      promise.then(clear, clear);
    }
    return promise;
  }

  #settleDrain(err?: MicroError): void {
    const d = this.#drain;
    if (!d) return;
    this.#drain = null;
    if (err) d.reject(err);
    else d.resolve();
  }
}
