// The multiplexed protocol between two of our peers (never seen by go-micro: a TS client uses it
// only towards a node advertising `micro-ts-mux`). The client opens a connection to the ordinary
// listening port with PREFACE, whose NUL first byte no HTTP request can start with, so the listener
// tells the two apart from one byte. Then both sides send frames:
//
//   u32 length of the rest | u8 type | u32 socket id | u32 n | n bytes header | body
//
// (the header in mux-header.ts's binary form; n is the header's length in DATA frames)
//
// DATA carries one transport message of socket `id` (the client numbers its sockets upwards);
// CLOSE ends socket `id` both ways (like a TCP close of a one-call connection), `n` saying how many
// of the peer's DATA messages the closer's consumer read (any beyond were never seen by a handler,
// like HTTP/2's REFUSED_STREAM: safe to retry elsewhere); CREDIT returns `n` bytes of receive window
// for socket `id` (per-socket flow control, so a slow reader stalls only its own socket); GOAWAY (server, id 0): no new sockets on this connection.
import { malformed, tooLarge } from "./errors.js";

export const PREFACE: Buffer = Buffer.from("\0MICRO-MUX/1\n", "latin1");

export const DATA = 1;
export const CLOSE = 2;
export const CREDIT = 3;
export const GOAWAY = 4;

/** Bytes before the header: the length word, type, id, header length. */
export const PREFIX = 13;

/** A frame: its header is `frame[headerStart, headerEnd)` (DATA only), its body a view. */
export type FrameSink = (
  type: number,
  id: number,
  n: number,
  frame: Buffer,
  headerStart: number,
  headerEnd: number,
  body: Buffer,
) => void;

const EMPTY = Buffer.alloc(0);
// A partial frame larger than this is filled in place in a buffer of its final size: joining every
// read to what came before would copy a 32 MiB frame hundreds of times.
const ASSEMBLE_OVER = 64 * 1024;

/**
 * Splits a byte stream into frames; bodies that arrive in one read are views of it (no copy). The
 * owner pushes each read, may count the complete frames, and delivers as many as it wants now.
 */
export class FrameReader {
  #buf: Buffer = EMPTY;
  /** Where the next frame starts in #buf (frames before it are delivered). */
  #off = 0;
  #preface: boolean;
  /** A large frame being filled in place, and how much of it has arrived. */
  #asm: Buffer | null = null;
  #fill = 0;
  /** That frame once complete: it comes before the frames in #buf. */
  #ready: Buffer | null = null;

  constructor(
    expectPreface: boolean,
    private readonly maxFrame: number,
    private readonly sink: FrameSink,
  ) {
    this.#preface = expectPreface;
  }

  /** The size of the large frame being filled in place (0: none), for the owner to reserve. */
  get assembling(): number {
    return this.#asm === null ? 0 : this.#asm.length;
  }

  /** Appends a read. Throws FrameError if the stream does not start with PREFACE. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const asm = this.#asm;
    if (asm !== null) {
      const take = Math.min(chunk.length, asm.length - this.#fill);
      chunk.copy(asm, this.#fill, 0, take);
      this.#fill += take;
      if (this.#fill < asm.length) return;
      this.#asm = null;
      this.#ready = asm;
      if (take === chunk.length) return;
      // (#buf is empty: the partial frame it held moved into #asm)
      chunk = chunk.subarray(take);
    }
    const rest = this.#buf.length - this.#off;
    let buf = rest === 0 ? chunk : Buffer.concat([this.#buf.subarray(this.#off), chunk]);
    if (this.#preface) {
      const n = Math.min(buf.length, PREFACE.length);
      if (buf.compare(PREFACE, 0, n, 0, n) !== 0) throw malformed("not a micro-mux preface");
      if (buf.length >= PREFACE.length) {
        this.#preface = false;
        buf = buf.subarray(PREFACE.length);
      }
    }
    this.#buf = buf;
    this.#off = 0;
    // nothing complete before it: a large frame starting here is filled in place from now on
    if (!this.#preface) this.#assemble();
  }

  /** Moves a large partial frame at #off (the last thing buffered) into a buffer of its own size. */
  #assemble(): void {
    const buf = this.#buf;
    const rest = buf.length - this.#off;
    if (rest < 4) return;
    const total = 4 + this.#size(buf, this.#off);
    if (total <= rest || total <= ASSEMBLE_OVER) return;
    const asm = Buffer.allocUnsafe(total);
    buf.copy(asm, 0, this.#off);
    this.#asm = asm;
    this.#fill = rest;
    this.#buf = EMPTY;
    this.#off = 0;
  }

  /** How many complete frames are buffered. Throws FrameError on an impossible length. */
  complete(): number {
    if (this.#preface) return 0;
    const buf = this.#buf;
    let pos = this.#off;
    let count = this.#ready === null ? 0 : 1;
    while (buf.length - pos >= 4) {
      const size = this.#size(buf, pos);
      if (buf.length - pos - 4 < size) break;
      pos += 4 + size;
      count++;
    }
    return count;
  }

  /** Hands at most `limit` complete frames to the sink. Throws FrameError on a broken frame. */
  deliver(limit = Infinity): void {
    if (this.#preface) return;
    let count = 0;
    const ready = this.#ready;
    if (ready !== null && limit > 0) {
      // consumed before the sink runs: a sink that throws leaves no frame to be delivered twice
      this.#ready = null;
      count++;
      this.#emit(ready, 0, ready.length);
    }
    const buf = this.#buf;
    const len = buf.length;
    while (len - this.#off >= 4 && count < limit) {
      const pos = this.#off;
      const size = this.#size(buf, pos);
      if (len - pos - 4 < size) break;
      count++;
      this.#off = pos + 4 + size;
      this.#emit(buf, pos, pos + 4 + size);
    }
    const rest = len - this.#off;
    if (rest === 0) {
      this.#buf = EMPTY;
      this.#off = 0;
      return;
    }
    // the start of a large frame: the rest of it is filled in place as it arrives
    this.#assemble();
    if (this.#asm !== null) return;
    if (rest < 4 || rest < 4 + buf.readUInt32BE(this.#off)) {
      // a partial frame is copied, so the (larger) read it came from can be freed
      this.#buf = Buffer.from(buf.subarray(this.#off));
      this.#off = 0;
    }
  }

  /** Hands the frame `buf[pos, end)` to the sink. */
  #emit(buf: Buffer, pos: number, end: number): void {
    const size = end - pos - 4;
    const type = buf[pos + 4]!;
    const id = buf.readUInt32BE(pos + 5);
    const n = buf.readUInt32BE(pos + 9);
    const h = pos + PREFIX;
    if (type === DATA) {
      if (n > size - (PREFIX - 4)) throw malformed("mux header longer than its frame");
      this.sink(type, id, n, buf, h, h + n, buf.subarray(h + n, end));
    } else this.sink(type, id, n, buf, h, h, EMPTY);
  }

  #size(buf: Buffer, pos: number): number {
    const size = buf.readUInt32BE(pos);
    if (size < PREFIX - 4) throw malformed(`mux frame of ${size} bytes`);
    if (size > this.maxFrame) throw tooLarge(`mux frame of ${size} bytes exceeds ${this.maxFrame}`);
    return size;
  }
}

/**
 * Frames queued during one event-loop turn, written with one syscall when the turn ends: many calls
 * on one connection cost one write per turn instead of one each. Small frames are copied into one
 * buffer; a large body is written as its own chunk (a vectored write) rather than copied.
 */
export class FrameBatch {
  #parts: Buffer[] = [];
  #cur: Buffer = Buffer.allocUnsafe(64 * 1024);
  #used = 0;
  bytes = 0;

  get empty(): boolean {
    return this.bytes === 0;
  }

  add(type: number, id: number, n: number, header: Buffer, body: Uint8Array): void {
    const hlen = header.length;
    const size = PREFIX - 4 + hlen + body.length;
    const inline = body.length <= 16 * 1024;
    this.#reserve(PREFIX + hlen + (inline ? body.length : 0));
    const b = this.#cur;
    let p = this.#used;
    b.writeUInt32BE(size, p);
    b[p + 4] = type;
    b.writeUInt32BE(id, p + 5);
    b.writeUInt32BE(type === DATA ? hlen : n, p + 9);
    p += PREFIX;
    if (hlen > 0) p += header.copy(b, p);
    if (inline) {
      if (body.length > 0) b.set(body, p);
      p += body.length;
      this.#used = p;
    } else {
      this.#used = p;
      this.#cut();
      this.#parts.push(Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length));
    }
    this.bytes += 4 + size;
  }

  /** The queued bytes as chunks to write, leaving the batch empty. */
  take(): Buffer[] {
    this.#cut();
    const parts = this.#parts;
    this.#parts = [];
    this.bytes = 0;
    return parts;
  }

  #reserve(n: number): void {
    if (this.#cur.length - this.#used >= n) return;
    this.#cut();
    this.#cur = Buffer.allocUnsafe(Math.max(64 * 1024, n));
    this.#used = 0;
  }

  /** Moves what #cur holds into #parts; the rest of #cur stays for later frames. */
  #cut(): void {
    if (this.#used === 0) return;
    this.#parts.push(this.#cur.subarray(0, this.#used));
    this.#cur = this.#cur.subarray(this.#used);
    this.#used = 0;
  }
}
