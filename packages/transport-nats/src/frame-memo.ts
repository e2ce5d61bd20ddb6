// Frames whose header repeats the previous one's: a client's requests differ in Micro-Id only, a
// server's replies often not at all. Comparing the bytes with the last frame decoded in full and
// re-reading the one value that changed costs a fraction of parsing the envelope again (the
// parse's regular expressions, strings and header object are most of a frame's decoding). Only
// Go-shaped headers of plain ASCII strings without repeated keys are remembered, and a changed
// value is taken only when it is plain ASCII too; anything else is decoded in full, so both paths
// accept and refuse the same frames.
import type { TransportMessage } from "@micro/core";
import { decodeFrame, isCloseHeader } from "./frame.js";

const OPEN = '{"Header":{';
const BODY = ',"Body":"';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** After a miss, this many frames are decoded in full before one is remembered again. */
const COOL_DOWN = 16;
const MAX_HEAD = 4096;

const plain = (c: number) => c >= 0x20 && c <= 0x7e && c !== QUOTE && c !== BACKSLASH;
const view = (d: Uint8Array) => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

export class FrameMemo {
  /** The remembered frame up to its body, `{"Header":{…},"Body":"`, in #buf; undefined: none. */
  #head: Buffer | undefined;
  #buf: Buffer = Buffer.alloc(0);
  #len = 0;
  #header: Record<string, string> = {};
  #keys: string[] = [];
  /** Per header value: the offset of its first byte and of its closing quote. */
  #starts: number[] = [];
  #ends: number[] = [];
  #cool = 0;

  /** decodeFrame(data), from the remembered frame when only one header value differs. */
  decode(data: Uint8Array): TransportMessage | "close" {
    const hit = this.#match(data);
    if (hit !== undefined) return hit;
    const frame = decodeFrame(data);
    if (frame !== "close") this.#remember(data, frame.header);
    return frame;
  }

  #match(data: Uint8Array): TransportMessage | "close" | undefined {
    const prev = this.#head;
    if (prev === undefined) return undefined;
    const len = this.#len;
    const n = data.length;
    const lim = Math.min(len, n);
    let p = 0;
    while (p < lim && data[p] === prev[p]) p++;
    let header: Record<string, string>;
    let bodyAt = len;
    if (p === len) header = { ...this.#header };
    else {
      const i = this.#valueAt(p);
      if (i < 0) return this.#miss();
      let q = p;
      while (q < n && plain(data[q]!)) q++;
      if (q >= n || data[q] !== QUOTE) return this.#miss();
      const end = this.#ends[i]!;
      const rest = len - end;
      if (q + rest > n) return this.#miss();
      for (let k = 0; k < rest; k++) if (data[q + k] !== prev[end + k]) return this.#miss();
      header = { ...this.#header };
      header[this.#keys[i]!] = view(data).toString("latin1", this.#starts[i]!, q);
      bodyAt = q + rest;
    }
    if (n - bodyAt < 2 || data[n - 2] !== QUOTE || data[n - 1] !== 0x7d) return this.#miss();
    const b64 = view(data).toString("latin1", bodyAt, n - 2);
    if (b64.length % 4 !== 0 || !BASE64.test(b64)) return this.#miss();
    if (isCloseHeader(header)) return "close";
    const bytes = Buffer.from(b64, "base64");
    return { header, body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  /** The header value whose bytes (closing quote included) hold offset `p`, or -1. */
  #valueAt(p: number): number {
    const starts = this.#starts;
    for (let i = starts.length - 1; i >= 0; i--) {
      if (starts[i]! <= p) return p <= this.#ends[i]! ? i : -1;
    }
    return -1;
  }

  #miss(): undefined {
    this.#cool = COOL_DOWN;
    this.#head = undefined;
    return undefined;
  }

  /** Takes a frame just decoded in full as the one to compare the next with, if it is one we can. */
  #remember(data: Uint8Array, header: Record<string, string>): void {
    if (this.#cool > 0) {
      this.#cool--;
      return;
    }
    const text = view(data).toString("latin1", 0, Math.min(data.length, MAX_HEAD));
    if (!text.startsWith(OPEN)) return;
    const keys: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    let at = OPEN.length;
    if (text.charCodeAt(at) !== 0x7d) {
      for (;;) {
        // "key":"value" followed by , or }
        const keyEnd = this.#string(data, at);
        if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== 0x3a) return;
        const valueEnd = this.#string(data, keyEnd + 2);
        if (valueEnd < 0) return;
        keys.push(text.slice(at + 1, keyEnd));
        starts.push(keyEnd + 3);
        ends.push(valueEnd);
        at = valueEnd + 1;
        if (text.charCodeAt(at) === 0x7d) break;
        if (text.charCodeAt(at) !== 0x2c) return;
        at++;
      }
    }
    if (!text.startsWith(BODY, at + 1)) return;
    // one entry per key, each the value the full decode read (no repeated keys, nothing escaped)
    if (keys.length !== Object.keys(header).length) return;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k === "__proto__" || header[k] !== text.slice(starts[i]!, ends[i]!)) return;
    }
    const len = at + 1 + BODY.length;
    if (this.#buf.length < len) this.#buf = Buffer.allocUnsafe(Math.max(len, 256));
    this.#buf.set(data.subarray(0, len));
    this.#head = this.#buf;
    this.#len = len;
    this.#header = { ...header };
    this.#keys = keys;
    this.#starts = starts;
    this.#ends = ends;
  }

  /** Offset of the closing quote of the plain string opening at `at`, or -1. */
  #string(data: Uint8Array, at: number): number {
    if (data[at] !== QUOTE) return -1;
    let i = at + 1;
    while (i < data.length && plain(data[i]!)) i++;
    return data[i] === QUOTE && i < MAX_HEAD ? i : -1;
  }
}
