// Header blocks that differ from the previous one on the connection in one header value only: a
// client's requests, where just Micro-Id changes. Finding the differing bytes and re-reading that
// one value costs a fraction of decoding and splitting the whole block again. Only ASCII blocks of
// unchanged length take this path; anything else is parsed in full.
import { valueByteOK } from "./field-value.js";
import { type HeaderMemo, OTHER, type ParsedHead } from "./head.js";

const SP = 32;
const TAB = 9;
// after a miss, this many heads are parsed in full before the state is built again
const COOL_DOWN = 16;
const MAX_BLOCK = 4096;

export class NearRepeat {
  #block: Buffer = Buffer.alloc(0);
  #len = 0;
  #head: ParsedHead | undefined;
  /** Per header line: byte offsets in the block of its start, its first colon and its CR. */
  #starts: number[] = [];
  #colons: number[] = [];
  #ends: number[] = [];
  #keys: string[] = [];
  #kinds: number[] = [];
  #won: boolean[] = [];
  #cool = 0;

  /** The head of `chunk[pos, end)` if it is the last block with one header value changed. */
  match(chunk: Buffer, pos: number, end: number): ParsedHead | undefined {
    const head = this.#head;
    const len = end - pos;
    if (head === undefined || len !== this.#len) return this.#miss();
    const block = this.#block;
    let p = 0;
    while (p < len && chunk[pos + p] === block[p]) p++;
    if (p === len) return { ...head, header: { ...head.header } };
    let q = len - 1;
    while (q > p && chunk[pos + q] === block[q]) q--;
    // the line holding the first difference must hold the last one too, past its colon
    const i = this.#lineAt(p);
    if (i < 0 || q >= this.#ends[i]! || p <= this.#colons[i]! || this.#kinds[i] !== OTHER)
      return this.#miss();
    for (let k = p; k <= q; k++) {
      const c = chunk[pos + k]!;
      // non-ASCII and control bytes (which the full parse refuses) take the full parse
      if (c >= 0x80 || !valueByteOK(c)) return this.#miss();
    }
    chunk.copy(block, p, pos + p, pos + q + 1);
    if (this.#won[i]) head.header[this.#keys[i]!] = trimmed(block, this.#colons[i]! + 1, this.#ends[i]!);
    return { ...head, header: { ...head.header } };
  }

  /**
   * Takes a block just parsed in full as the one to compare the next with. `memo` holds that parse's
   * per-line keys, kinds and winners.
   */
  remember(chunk: Buffer, pos: number, end: number, text: string, head: ParsedHead, memo: HeaderMemo): void {
    if (this.#cool > 0) {
      this.#cool--;
      return;
    }
    const len = end - pos;
    this.#head = undefined;
    // ASCII only (text offsets are byte offsets), a map edited after parsing (chunked) is not one
    // the lines describe, and memo only describes blocks it kept
    if (len > MAX_BLOCK || text.length !== len || head.chunked || memo.template === undefined) return;
    const starts: number[] = [];
    const colons: number[] = [];
    const ends: number[] = [];
    let at = text.indexOf("\r\n") + 2;
    while (at < len - 2) {
      const eol = text.indexOf("\r\n", at);
      starts.push(at);
      colons.push(text.indexOf(":", at));
      ends.push(eol);
      at = eol + 2;
    }
    if (starts.length !== memo.count) return;
    if (this.#block.length < len) this.#block = Buffer.allocUnsafe(Math.max(len, 512));
    chunk.copy(this.#block, 0, pos, end);
    this.#len = len;
    this.#starts = starts;
    this.#colons = colons;
    this.#ends = ends;
    this.#keys = memo.keys.slice(0, memo.count);
    this.#kinds = memo.kinds.slice(0, memo.count);
    this.#won = memo.won.slice(0, memo.count);
    this.#head = { ...head, header: { ...head.header } };
  }

  #miss(): undefined {
    if (this.#head !== undefined) this.#cool = COOL_DOWN;
    this.#head = undefined;
    return undefined;
  }

  #lineAt(offset: number): number {
    const starts = this.#starts;
    for (let i = starts.length - 1; i >= 0; i--) {
      if (starts[i]! <= offset) return offset < this.#ends[i]! ? i : -1;
    }
    return -1;
  }
}

function trimmed(block: Buffer, from: number, to: number): string {
  while (from < to && (block[from] === SP || block[from] === TAB)) from++;
  while (to > from && (block[to - 1] === SP || block[to - 1] === TAB)) to--;
  return block.toString("latin1", from, to);
}
