// One TCP (or TLS) connection carrying many MuxSockets (frames in mux-frame.ts). Frames queued in
// one event-loop turn leave in one write when the turn ends; replies come back in whatever order
// their calls finish. If the connection dies, every socket on it fails with EOF and nothing else.
import type { Socket as NetSocket } from "node:net";
import { MicroError } from "@micro/core";
import { joinHostPort } from "@micro/core/plugin-kit";
import type { BodyBudget } from "./body-budget.js";
import { CLIENT_ERROR_ID, eofError, FrameError, SERVER_ERROR_ID } from "./errors.js";
import { CLOSE, CREDIT, DATA, FrameBatch, FrameReader, GOAWAY, PREFACE } from "./mux-frame.js";
import { HeaderTableDecoder, HeaderTableEncoder } from "./mux-header.js";
import { type MuxHost, MuxSocket, WINDOW } from "./mux-socket.js";
import type { SocketSettings } from "./options.js";
import { ReadDeadline } from "./read-deadline.js";

// A read holding at least twice this many frames is handled in two halves (see #continue).
const MIN_SLICE = 4;
const EMPTY_CHUNK = Buffer.alloc(0);

// The client retires a connection before its socket ids could wrap.
const LAST_ID = 0xffff_fff0;

interface Flush {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class MuxConnection implements MuxHost {
  readonly local: string;
  readonly remote: string;
  readonly errorId: string;
  readonly timeout: number;
  readonly #sockets = new Map<number, MuxSocket>();
  readonly #reader: FrameReader;
  readonly #batch = new FrameBatch();
  #flush: Flush | undefined;
  #scheduled = false;
  #drainWaiters: Flush[] = [];
  #nextId = 1;
  /** Server: the highest socket id seen (a lower unknown one is a late frame of a closed socket). */
  #highest = 0;
  #goingAway = false;
  #dead = false;
  #refs = 0;
  #expires = Infinity;
  #resume: NodeJS.Immediate | undefined;
  readonly #encoder = new HeaderTableEncoder();
  readonly #decoder = new HeaderTableDecoder();
  /** Client: called once the connection takes no new sockets (GOAWAY, death, ids used up). */
  onRetire: (() => void) | undefined;
  /** Server: the transport's cap on received bodies held (see body-budget.ts). */
  readonly #budget: BodyBudget | undefined;
  /** Budget bytes reserved for the large frame the reader is filling. */
  #reserved = 0;
  /** While reading waits for the budget: what it asked for, and reads that arrived meanwhile. */
  #want = 0;
  #rest: Buffer | null = null;
  /** Server: a connection with no socket open for idleTimeout is asked to go away, then closed. */
  readonly #idle: ReadDeadline | undefined;

  constructor(
    private readonly conn: NetSocket,
    private readonly server: boolean,
    private readonly settings: SocketSettings,
    /** Server: each socket the client opens. */
    private readonly onSocket?: (socket: MuxSocket) => void,
  ) {
    conn.setNoDelay(true);
    this.local = joinHostPort(conn.localAddress ?? "", conn.localPort ?? 0);
    this.remote = joinHostPort(conn.remoteAddress ?? "", conn.remotePort ?? 0);
    this.errorId = server ? SERVER_ERROR_ID : CLIENT_ERROR_ID;
    this.timeout = settings.timeout;
    const maxFrame = settings.maxMessageSize + settings.maxHeaderSize + 16;
    this.#reader = new FrameReader(server, maxFrame, this.#frame.bind(this));
    conn.on("data", (chunk: Buffer) => this.feed(chunk));
    conn.on("error", (err) => this.#die(err));
    conn.on("end", () => this.#die());
    conn.on("close", () => this.#die());
    conn.on("drain", () => {
      for (const f of this.#drainWaiters.splice(0)) f.resolve();
    });
    if (!server) conn.write(PREFACE);
    this.#budget = server ? settings.budget : undefined;
    if (server && settings.idleTimeout > 0) {
      this.#idle = new ReadDeadline(0, settings.idleTimeout, () => this.#idleExpired());
      this.#idle.idle();
    }
  }

  /** Whether a client may open another socket here. */
  get usable(): boolean {
    return !this.retiring && this.#nextId < LAST_ID;
  }

  get dead(): boolean {
    return this.#dead;
  }

  /** Client: a new socket on this connection. */
  open(): MuxSocket {
    const s = new MuxSocket(this, this.#nextId++);
    this.#sockets.set(s.id, s);
    if (this.#nextId >= LAST_ID) this.#retire();
    return s;
  }

  /** Bytes read from the connection (the server hands over the first read it sniffed). */
  feed(chunk: Buffer): void {
    if (this.#dead) return;
    if (this.#rest !== null) {
      // reading waits for the budget, but a read already under way still lands here
      this.#rest = this.#rest.length === 0 ? chunk : Buffer.concat([this.#rest, chunk]);
      return;
    }
    try {
      this.#reader.push(chunk);
      // a slice is still waiting: keep order, the next slice takes these bytes too
      if (this.#resume !== undefined) return;
      const n = this.#reader.complete();
      if (n > 0) {
        const limit = n >= 2 * MIN_SLICE ? Math.ceil(n / 2) : n;
        this.#reader.deliver(limit);
        if (limit < n) {
          this.#resume = setImmediate(() => this.#continue());
          return;
        }
      }
      if (this.#budget) this.#reserve(this.#budget);
    } catch (err) {
      // not our protocol, or a broken peer: nothing on this connection can be trusted any more
      const msg = err instanceof FrameError ? err.message : String(err);
      this.settings.logger.debug(`http transport: mux ${this.remote}: ${msg}`);
      this.#die(new Error(msg));
      this.conn.destroy();
    }
  }

  /**
   * Server (listener closed): tells the client to open no more sockets here. Sockets it opened
   * before it reads this are still served, as a dialed connection would be; the client ends the
   * connection once its last socket has closed.
   */
  goAway(): void {
    if (this.#goingAway || this.#dead) return;
    this.#goingAway = true;
    void this.queue(GOAWAY, 0, 0, undefined, EMPTY_CHUNK).catch(() => {});
  }

  /** Closes the connection and every socket on it. */
  destroy(): void {
    this.#die();
    this.conn.destroy();
  }

  queue(
    type: number,
    id: number,
    n: number,
    header: Record<string, string> | undefined,
    body: Uint8Array,
  ): Promise<void> {
    if (this.#dead) return Promise.reject(eofError(this.errorId, false));
    // throws (before anything is queued) on a header key that is not an HTTP token
    this.#batch.add(type, id, n, this.#encoder.encode(header), body);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // after this turn's callbacks and promise continuations: everything they queued goes together
      process.nextTick(() => this.#write());
    }
    if (this.#flush === undefined) {
      let resolve!: () => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#flush = { promise, resolve, reject };
    }
    return this.#flush.promise;
  }

  forget(id: number): void {
    this.#sockets.delete(id);
    this.#activity();
    if (!this.server && this.#goingAway && this.#sockets.size === 0) this.#end();
  }

  release(bytes: number): void {
    this.#budget?.release(bytes);
  }

  /**
   * Server: a large frame is reserved whole before more of it is read, and over the cap nothing more
   * is read until there is room (see body-budget.ts); the client's writes then back up in TCP.
   */
  #reserve(budget: BodyBudget): void {
    const size = this.#reader.assembling;
    let want: number;
    if (size > 0) {
      // reserved already: it is read to its end, whatever else is held
      if (this.#reserved > 0) return;
      want = size;
    } else if (budget.used > budget.limit) want = 0;
    else return;
    if (budget.take(want, this.#granted)) {
      this.#reserved += want;
      return;
    }
    this.#want = want;
    this.#rest = EMPTY_CHUNK;
    this.#idle?.busy();
    this.conn.pause();
  }

  readonly #granted = (): void => {
    if (this.#dead || this.#rest === null) {
      this.#budget?.release(this.#want);
      return;
    }
    this.#reserved += this.#want;
    const rest = this.#rest;
    this.#rest = null;
    this.conn.resume();
    this.#activity();
    this.feed(rest);
  };

  /** Server: idle once no socket is open on the connection. */
  #activity(): void {
    const idle = this.#idle;
    if (idle === undefined) return;
    if (this.#sockets.size === 0) idle.idle();
    else idle.busy();
  }

  #idleExpired(): void {
    if (this.#dead) return;
    if (!this.#goingAway) {
      // the client dials anew for its next call; a socket it opens before reading this is served
      this.settings.logger.debug(`http transport: mux ${this.remote}: idle, going away`);
      this.goAway();
      this.#idle?.idle(true);
      return;
    }
    this.destroy();
  }

  hold(delta: 1 | -1): void {
    if (this.server) return;
    const before = this.#refs;
    this.#refs += delta;
    if (before === 0 && this.#refs > 0) this.conn.ref();
    else if (before > 0 && this.#refs === 0) this.conn.unref();
  }

  // The second half of a read, a turn later. Under load both sides would otherwise take turns: one
  // read holds every caller's frame, all of them are handled, and all the replies leave in one write,
  // so each side idles while the other works. Handling half, writing what it produced, then the other
  // half gives the peer work to do meanwhile (bench/RESULTS.md: +50 % req/s at 16 callers).
  #continue(): void {
    this.#resume = undefined;
    this.feed(EMPTY_CHUNK);
  }

  #write(): void {
    this.#scheduled = false;
    const flush = this.#flush;
    this.#flush = undefined;
    const parts = this.#batch.take();
    if (this.#dead || this.conn.destroyed || !this.conn.writable) {
      flush?.reject(eofError(this.errorId, false));
      return;
    }
    let ok: boolean;
    if (parts.length === 1) ok = this.conn.write(parts[0]!);
    else {
      this.conn.cork();
      ok = true;
      for (const p of parts) ok = this.conn.write(p);
      this.conn.uncork();
    }
    if (!flush) return;
    // the socket's buffer is full: senders wait for it to drain (back-pressure)
    if (ok) flush.resolve();
    else this.#drainWaiters.push(flush);
  }

  #frame(
    type: number,
    id: number,
    n: number,
    frame: Buffer,
    headerStart: number,
    headerEnd: number,
    body: Buffer,
  ): void {
    // the frame a reservation was made for is the next one delivered
    const reserved = this.#reserved;
    this.#reserved = 0;
    switch (type) {
      case DATA: {
        const budget = this.#budget;
        // the body counts until its socket's consumer takes it (MuxSocket releases it)
        if (budget) {
          if (reserved > 0) budget.release(reserved - body.length);
          else budget.force(body.length);
        }
        // decoded before anything else: the table must see every frame, whoever it was for
        const header = this.#decoder.decode(frame, headerStart, headerEnd);
        let s = this.#sockets.get(id);
        if (!s) {
          if (!this.server || id <= this.#highest) {
            budget?.release(body.length);
            return; // a late frame of a closed socket
          }
          this.#highest = id;
          s = new MuxSocket(this, id);
          this.#sockets.set(id, s);
          this.#activity();
          this.onSocket!(s);
        }
        s.deliver(header, body);
        // a peer that ignores the window would make us buffer without bound
        if (s.queued > WINDOW + this.settings.maxMessageSize)
          throw new FrameError(400, "mux window exceeded");
        return;
      }
      case CLOSE: {
        this.#budget?.release(reserved);
        const s = this.#sockets.get(id);
        if (!s) return;
        this.#sockets.delete(id);
        this.#activity();
        s.closedByPeer(n);
        if (!this.server && this.#goingAway && this.#sockets.size === 0) this.#end();
        return;
      }
      case CREDIT:
        this.#budget?.release(reserved);
        this.#sockets.get(id)?.credit(n);
        return;
      case GOAWAY:
        this.#budget?.release(reserved);
        if (!this.server) this.#retire();
        return;
      default:
        throw new FrameError(400, `unknown mux frame type ${type}`);
    }
  }

  /** Client: no new sockets here; the connection ends once the open ones close. */
  retire(): void {
    if (!this.#goingAway && !this.#dead) this.#retire();
  }

  /** Takes no new sockets (retired, past its age, told to go away, or dead). */
  get retiring(): boolean {
    if (!this.#goingAway && Date.now() > this.#expires) this.retire();
    return this.#goingAway || this.#dead;
  }

  /** Client: retire this connection once it is `ms` old (see the dialer's REBALANCE_MS). */
  expireAfter(ms: number): void {
    this.#expires = Date.now() + ms;
  }

  #retire(): void {
    this.#goingAway = true;
    const cb = this.onRetire;
    this.onRetire = undefined;
    cb?.();
    if (this.#sockets.size === 0) this.#end();
  }

  /** Client: ends a retired connection once nothing is open on it. */
  #end(): void {
    if (this.#dead) return;
    setImmediate(() => {
      if (this.#sockets.size === 0) this.conn.end();
    });
  }

  #die(err?: Error & { code?: string }): void {
    if (this.#dead) return;
    if (this.#resume !== undefined) {
      // frames already read are the peer's last words: hand them over before failing the rest
      clearImmediate(this.#resume);
      this.#resume = undefined;
      try {
        this.#reader.deliver();
      } catch {
        // the connection is going anyway
      }
    }
    this.#dead = true;
    this.#idle?.stop();
    if (this.#rest !== null) {
      this.#rest = null;
      this.#budget?.cancel(this.#granted);
    }
    this.#budget?.release(this.#reserved);
    this.#reserved = 0;
    const gone =
      err === undefined || err.code === "ECONNRESET" || err.code === "EPIPE"
        ? eofError(this.errorId, false)
        : MicroError.internal(this.errorId, err.message);
    if (err) this.settings.logger.debug(`http transport: mux ${this.remote}: ${err.message}`);
    const sockets = [...this.#sockets.values()];
    this.#sockets.clear();
    for (const s of sockets) s.peerClosed(gone);
    const cb = this.onRetire;
    this.onRetire = undefined;
    cb?.();
    for (const f of this.#drainWaiters.splice(0)) f.reject(gone);
    this.#flush?.reject(gone);
    this.#flush = undefined;
    if (this.#refs > 0) this.conn.unref();
  }
}
