// An incremental HTTP/1.x framer over the raw bytes of a connection: feed it whatever the socket
// reads and it calls back once per complete message. Bodies that arrive in one read are handed out
// as views of that read (no copy); only messages split across reads are copied, once.
import { malformed, tooLarge } from "./errors.js";
import { HeaderMemo, type MessageHead, type ParsedHead, type ParserMode, parseHead } from "./head.js";
import { NearRepeat } from "./near-repeat.js";

export interface ParserLimits {
  maxHeaderSize: number;
  maxBodySize: number;
}

export type MessageSink = (head: MessageHead, body: Buffer) => void;

const HEAD = 0;
const BODY = 1;
const CHUNK_SIZE = 2;
const CHUNK_DATA = 3;
const CHUNK_DATA_END = 4;
const TRAILER = 5;
const BODY_TO_EOF = 6;
const STOPPED = 7;

const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from("\r\n\r\n");
const MAX_CHUNK_LINE = 4096;
export const EMPTY_BODY: Buffer = Buffer.alloc(0);

export class HttpParser {
  #state = HEAD;
  /** Bytes of a header block that has not ended yet. */
  #pending: Buffer | null = null;
  #head: ParsedHead | null = null;
  /** Bytes left in the current body or chunk. */
  #remaining = 0;
  #parts: Buffer[] = [];
  #size = 0;
  /** A chunk-size or trailer line split across reads. */
  #line = "";
  #trailerBytes = 0;
  readonly #memo = new HeaderMemo();
  /** Recognizes a block that repeats the last one, maybe with one value changed. */
  readonly #near = new NearRepeat();

  constructor(
    private readonly mode: ParserMode,
    private readonly limits: ParserLimits,
    private readonly sink: MessageSink,
  ) {}

  /** Whether bytes of an unfinished message have been consumed. */
  get midMessage(): boolean {
    return (this.#state !== HEAD && this.#state !== STOPPED) || this.#pending !== null;
  }

  /** Ignore everything from now on (after an error, or once the connection is going away). */
  stop(): void {
    this.#state = STOPPED;
    this.#pending = null;
    this.#head = null;
    this.#parts = [];
  }

  /** Consumes one read. Throws FrameError on a frame that cannot be accepted. */
  execute(chunk: Buffer): void {
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
        default:
          return;
      }
    }
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
    if (pending === null) {
      // tolerate blank lines between messages (some clients send CRLF after a body)
      // (byte by byte, since the CRLF itself may be split across reads)
      while (pos < len && (chunk[pos] === CR || chunk[pos] === LF)) pos++;
      if (pos === len) return len;
      const i = chunk.indexOf(HEAD_END, pos);
      end = i < 0 ? -1 : i + 4;
    } else {
      // the terminator may straddle the previous read and this one
      const keep = Math.min(3, pending.length);
      const seam = Buffer.concat([pending.subarray(pending.length - keep), chunk.subarray(pos, pos + 3)]);
      const s = seam.indexOf(HEAD_END);
      if (s >= 0) end = pos + s + 4 - keep;
      else {
        const i = chunk.indexOf(HEAD_END, pos);
        end = i < 0 ? -1 : i + 4;
      }
    }
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
    if (pending === null) {
      const again = this.#near.match(chunk, pos, end);
      if (again) {
        this.#begin(again);
        return end;
      }
    }
    const text =
      pending === null
        ? chunk.toString("utf8", pos, end)
        : Buffer.concat([pending, chunk.subarray(pos, end)]).toString("utf8");
    this.#pending = null;
    const head = parseHead(text, this.mode, this.#memo);
    if (pending === null) this.#near.remember(chunk, pos, end, text, head, this.#memo);
    this.#begin(head);
    return end;
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
    } else if (head.contentLength === 0 || this.mode === "request") {
      this.#deliver(EMPTY_BODY);
    } else {
      // a response with neither length nor chunking ends when the connection does
      this.#state = BODY_TO_EOF;
    }
  }

  #readBody(chunk: Buffer, pos: number): number {
    const avail = chunk.length - pos;
    if (this.#size === 0 && avail >= this.#remaining) {
      const end = pos + this.#remaining;
      this.#deliver(chunk.subarray(pos, end));
      return end;
    }
    const take = Math.min(avail, this.#remaining);
    this.#parts.push(chunk.subarray(pos, pos + take));
    this.#size += take;
    this.#remaining -= take;
    if (this.#remaining === 0) this.#deliver(Buffer.concat(this.#parts, this.#size));
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
    this.sink(head, body);
  }
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
