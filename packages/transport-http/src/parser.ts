// An incremental HTTP/1.x framer over the raw bytes of a connection: feed it whatever the socket
// reads and it calls back once per complete message. Bodies that arrive in one read are handed out
// as views of that read (no copy); a body split across reads is copied once, into a buffer of its
// declared length.
import type { BodyBudget } from "./body-budget.js";
import { FrameError, malformed, tooLarge } from "./errors.js";
import {
  HeaderMemo,
  isTokenByte,
  type MessageHead,
  type ParsedHead,
  type ParserMode,
  parseHead,
  quote,
} from "./head.js";
import { blankLineEnd, hasBareLF, toCRLF } from "./line-ends.js";
import { NearRepeat } from "./near-repeat.js";

export interface ParserLimits {
  maxHeaderSize: number;
  maxBodySize: number;
  /** Where request bodies are reserved before they are read (the accepted side); none: no cap. */
  budget?: BodyBudget | undefined;
}

export type MessageSink = (head: MessageHead, body: Buffer) => void;

/** Where the connection is within its current message (what read deadlines look at). */
export const Phase = {
  /** Between messages: nothing of the next one has arrived. */
  Between: 0,
  /** Part of a header block (or blank lines before it) has arrived. */
  Head: 1,
  /** Inside a body. */
  Body: 2,
  /** A body is announced and waits for room in the transport's body budget (reading is paused). */
  Waiting: 3,
  Stopped: 4,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

const HEAD = 0;
const BODY = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_DATA_END = 4;
const TRAILER = 5;
const BODY_TO_EOF = 6;
const STOPPED = 7;
const WAIT = 8;

const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from("\r\n\r\n");
const MAX_CHUNK_LINE = 4096;
// Go's server skips at most 4 CR/LF bytes before a request line (after a POST, for clients that
// add CRLF to a body: server.go readRequest); a fifth is a request line that is not one
const MAX_BLANK = 4;
const TLS_HANDSHAKE = 0x16;
const TLS_ALERT = 0x15;
const H = 72;
export const EMPTY_BODY: Buffer = Buffer.alloc(0);

export class HttpParser {
  #state = HEAD;
  /** Bytes of a header block that has not ended yet. */
  #pending: Buffer | null = null;
  #head: ParsedHead | null = null;
  /** Bytes left in the current body or chunk. */
  #remaining = 0;
  /** The body being filled, when it did not arrive in one read. */
  #body: Buffer | null = null;
  #parts: Buffer[] = [];
  #size = 0;
  /** A chunk-size or trailer line split across reads. */
  #line = "";
  #trailerBytes = 0;
  /** CR/LF bytes skipped before the current message. */
  #blank = 0;
  #started = false;
  /** Budget bytes reserved for the message being read. */
  #held = 0;
  /** While waiting for the budget: the bytes asked for and the state to go on in. */
  #want = 0;
  #after = HEAD;
  #memo = new HeaderMemo();
  /** Recognizes a block that repeats the last one, maybe with one value changed. */
  readonly #near = new NearRepeat();

  constructor(
    private readonly mode: ParserMode,
    private readonly limits: ParserLimits,
    private readonly sink: MessageSink,
    /** Called once a wait for the body budget is over: feed the rest of the read again. */
    private readonly resume: () => void = () => {},
  ) {}

  /** Whether bytes of an unfinished message have been consumed. */
  get midMessage(): boolean {
    return (this.#state !== HEAD && this.#state !== STOPPED) || this.#pending !== null;
  }

  get phase(): Phase {
    switch (this.#state) {
      case HEAD:
        return this.#pending !== null || this.#blank > 0 ? Phase.Head : Phase.Between;
      case WAIT:
        return Phase.Waiting;
      case STOPPED:
        return Phase.Stopped;
      default:
        return Phase.Body;
    }
  }

  /** Ignore everything from now on (after an error, or once the connection is going away). */
  stop(): void {
    const budget = this.limits.budget;
    if (this.#state === WAIT) budget?.cancel(this.#granted);
    if (this.#held > 0) budget?.release(this.#held);
    this.#held = 0;
    this.#state = STOPPED;
    this.#pending = null;
    this.#head = null;
    this.#body = null;
    this.#parts = [];
  }

  /**
   * Consumes one read; returns how much of it was used, less than all of it when a body has to wait
   * for the budget (`phase` is then Waiting: keep the rest and feed it once `resume` is called).
   * Throws FrameError on a frame that cannot be accepted.
   */
  execute(chunk: Buffer): number {
    const len = chunk.length;
    let pos = 0;
    while (pos < len) {
      switch (this.#state) {
        case HEAD:
          pos = this.#readHead(chunk, pos);
          break;
        case BODY:
          pos = this.#readBody(chunk, pos);
          break;
        case CHUNK_DATA:
          pos = this.#readChunkData(chunk, pos);
          break;
        case CHUNK_SIZE:
        case CHUNK_DATA_END:
        case TRAILER:
          pos = this.#readLine(chunk, pos);
          break;
        case BODY_TO_EOF:
          this.#append(chunk.subarray(pos));
          pos = len;
          break;
        case WAIT:
          return pos;
        default:
          return len;
      }
    }
    return len;
  }

  /**
   * The peer closed. Delivers a response body delimited by the close; returns whether the close
   * cut a message short.
   */
  end(): boolean {
    if (this.#state === BODY_TO_EOF) {
      this.#deliver(Buffer.concat(this.#parts, this.#size));
      return false;
    }
    const mid = this.midMessage;
    this.stop();
    return mid;
  }

  #readHead(chunk: Buffer, pos: number): number {
    const len = chunk.length;
    const pending = this.#pending;
    let end: number;
    let fast = false;
    if (pending === null) {
      // tolerate a few blank lines between messages (some clients send CRLF after a body)
      // (byte by byte, since the CRLF itself may be split across reads)
      while (pos < len && (chunk[pos] === CR || chunk[pos] === LF)) {
        if (++this.#blank > MAX_BLANK)
          throw malformed(
            `malformed HTTP request: more than ${MAX_BLANK} CR/LF bytes before the request line`,
          );
        pos++;
      }
      if (pos === len) return len;
      this.#checkFirstByte(chunk, pos);
      const i = chunk.indexOf(HEAD_END, pos);
      if (i >= 0) {
        end = i + 4;
        fast = true;
      } else end = blankLineEnd(chunk, pos);
    } else end = seamEnd(pending, chunk, pos);
    const pendingLen = pending === null ? 0 : pending.length;
    const size = pendingLen + (end < 0 ? len : end) - pos;
    if (size > this.limits.maxHeaderSize) {
      throw tooLarge(`header block exceeds ${this.limits.maxHeaderSize} bytes`);
    }
    if (end < 0) {
      const rest = chunk.subarray(pos);
      this.#pending = pending === null ? rest : Buffer.concat([pending, rest]);
      return len;
    }
    this.#pending = null;
    this.#blank = 0;
    if (fast) {
      const again = this.#near.match(chunk, pos, end);
      if (again) {
        this.#begin(again);
        return end;
      }
      const text = chunk.toString("utf8", pos, end);
      let head: ParsedHead;
      try {
        head = parseHead(text, this.mode, this.#memo);
      } catch (err) {
        if (!(err instanceof FrameError) || !hasBareLF(chunk, pos, end)) throw err;
        // lines end in bare LF: the block ends at its first blank line, which may come before the
        // CRLFCRLF found (in a body); the half-done parse left the memo unreliable
        this.#memo = new HeaderMemo();
        end = blankLineEnd(chunk, pos);
        this.#begin(parseHead(toCRLF(chunk.toString("utf8", pos, end)), this.mode, this.#memo));
        return end;
      }
      this.#near.remember(chunk, pos, end, text, head, this.#memo);
      this.#begin(head);
      return end;
    }
    const bytes =
      pending === null ? chunk.subarray(pos, end) : Buffer.concat([pending, chunk.subarray(pos, end)]);
    this.#begin(parseHead(toCRLF(bytes.toString("utf8")), this.mode, this.#memo));
    return end;
  }

  /**
   * The first byte of a message already tells whether it can be HTTP: a request starts with a method
   * (a token), a response with "HTTP/". Refusing at once spares waiting for a header block that will
   * never come, like a TLS ClientHello sent to a plaintext port.
   */
  #checkFirstByte(chunk: Buffer, pos: number): void {
    const c = chunk[pos]!;
    const first = !this.#started;
    this.#started = true;
    if (this.mode === "request") {
      if (isTokenByte(c)) return;
      if (first && c === TLS_HANDSHAKE)
        throw malformed("client sent a TLS handshake to a plaintext HTTP server");
      throw malformed(`malformed HTTP request ${quote(firstLine(chunk, pos))}`);
    }
    if (c === H) return;
    if (first && (c === TLS_HANDSHAKE || c === TLS_ALERT))
      throw malformed("server answered with TLS: it expects a TLS client");
    throw malformed(`malformed HTTP response ${quote(firstLine(chunk, pos))}`);
  }

  #begin(head: ParsedHead): void {
    this.#head = head;
    this.#parts = [];
    this.#size = 0;
    if (this.mode === "response" && (head.status < 200 || head.status === 204 || head.status === 304)) {
      this.#deliver(EMPTY_BODY);
    } else if (head.chunked) {
      this.#state = CHUNK_SIZE;
      this.#trailerBytes = 0;
    } else if (head.contentLength > 0) {
      if (head.contentLength > this.limits.maxBodySize) {
        throw tooLarge(`body of ${head.contentLength} bytes exceeds ${this.limits.maxBodySize}`);
      }
      this.#remaining = head.contentLength;
      this.#state = BODY;
      this.#reserve(head.contentLength);
    } else if (head.contentLength === 0 || this.mode === "request") {
      this.#deliver(EMPTY_BODY);
    } else {
      // a response with neither length nor chunking ends when the connection does
      this.#state = BODY_TO_EOF;
    }
  }

  /** Reserves body bytes before reading them; without room, waits in the current state. */
  #reserve(bytes: number): void {
    const budget = this.limits.budget;
    if (budget === undefined) return;
    if (budget.take(bytes, this.#granted)) {
      this.#held += bytes;
      return;
    }
    this.#want = bytes;
    this.#after = this.#state;
    this.#state = WAIT;
  }

  readonly #granted = (): void => {
    if (this.#state !== WAIT) {
      this.limits.budget?.release(this.#want);
      return;
    }
    this.#held += this.#want;
    this.#state = this.#after;
    this.resume();
  };

  #readBody(chunk: Buffer, pos: number): number {
    const avail = chunk.length - pos;
    let body = this.#body;
    if (body === null) {
      if (avail >= this.#remaining) {
        const end = pos + this.#remaining;
        this.#deliver(chunk.subarray(pos, end));
        return end;
      }
      // one copy into a buffer of the final size, instead of keeping every read and joining them
      body = Buffer.allocUnsafe(this.#remaining);
      this.#body = body;
    }
    const take = Math.min(avail, this.#remaining);
    chunk.copy(body, this.#size, pos, pos + take);
    this.#size += take;
    this.#remaining -= take;
    if (this.#remaining === 0) {
      this.#body = null;
      this.#deliver(body);
    }
    return pos + take;
  }

  #readChunkData(chunk: Buffer, pos: number): number {
    const take = Math.min(chunk.length - pos, this.#remaining);
    this.#parts.push(chunk.subarray(pos, pos + take));
    this.#size += take;
    this.#remaining -= take;
    if (this.#remaining === 0) this.#state = CHUNK_DATA_END;
    return pos + take;
  }

  #readLine(chunk: Buffer, pos: number): number {
    const lf = chunk.indexOf(LF, pos);
    const end = lf < 0 ? chunk.length : lf;
    const limit = this.#state === TRAILER ? this.limits.maxHeaderSize - this.#trailerBytes : MAX_CHUNK_LINE;
    if (this.#line.length + end - pos > limit) {
      if (this.#state === TRAILER) throw tooLarge(`trailer exceeds ${this.limits.maxHeaderSize} bytes`);
      throw malformed("chunk length line too long");
    }
    if (end > pos) this.#line += chunk.toString("latin1", pos, end);
    if (lf < 0) return chunk.length;
    let line = this.#line;
    this.#line = "";
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    switch (this.#state) {
      case CHUNK_SIZE: {
        const n = chunkSize(line);
        if (this.#size + n > this.limits.maxBodySize) {
          throw tooLarge(`body exceeds ${this.limits.maxBodySize} bytes`);
        }
        if (n === 0) this.#state = TRAILER;
        else {
          this.#remaining = n;
          this.#state = CHUNK_DATA;
          this.#reserve(n);
        }
        break;
      }
      case CHUNK_DATA_END:
        if (line !== "") throw malformed("malformed chunked encoding: missing CRLF after chunk data");
        this.#state = CHUNK_SIZE;
        break;
      default:
        // trailer fields are read past and dropped: go-micro never looks at them
        this.#trailerBytes += line.length + 2;
        if (line === "") this.#deliver(Buffer.concat(this.#parts, this.#size));
    }
    return lf + 1;
  }

  #append(part: Buffer): void {
    if (this.#size + part.length > this.limits.maxBodySize) {
      throw tooLarge(`body exceeds ${this.limits.maxBodySize} bytes`);
    }
    this.#parts.push(part);
    this.#size += part.length;
  }

  #deliver(body: Buffer): void {
    const head = this.#head!;
    this.#head = null;
    this.#parts = [];
    this.#size = 0;
    this.#state = HEAD;
    // the reservation goes with the message: its socket releases it when the owner takes it
    this.#held = 0;
    this.sink(head, body);
  }
}

/** The end of a header block whose start is `pending`: the blank line may straddle the two reads. */
function seamEnd(pending: Buffer, chunk: Buffer, pos: number): number {
  const keep = Math.min(2, pending.length);
  const seam = Buffer.concat([pending.subarray(pending.length - keep), chunk.subarray(pos, pos + 2)]);
  const s = blankLineEnd(seam, 0);
  if (s >= 0) return pos + s - keep;
  return blankLineEnd(chunk, pos);
}

/** The start of what arrived, up to its first line end, for an error message. */
function firstLine(chunk: Buffer, pos: number): string {
  let end = Math.min(chunk.length, pos + 80);
  const lf = chunk.indexOf(LF, pos);
  if (lf >= 0 && lf < end) end = lf;
  if (end > pos && chunk[end - 1] === CR) end--;
  return chunk.toString("latin1", pos, end);
}

/** A chunk-size line: hex digits, optional `;extension`, surrounding whitespace tolerated. */
function chunkSize(line: string): number {
  let end = line.indexOf(";");
  if (end < 0) end = line.length;
  let start = 0;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  if (end === start) throw malformed("invalid byte in chunk length");
  if (end - start > 13) throw tooLarge("chunk length too large");
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else throw malformed("invalid byte in chunk length");
    n = n * 16 + d;
  }
  return n;
}
