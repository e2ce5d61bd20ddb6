// Header maps on the multiplexed path, in a binary form with a table per connection and direction.
// RPC messages repeat the same keys on every call and most values too (Content-Type, Micro-Service,
// Micro-Endpoint, Timeout); only Micro-Id changes. So a key is sent once and then referred to by its
// index, and a value equal to the one last sent under that key is one index. Both ends apply the
// entries in frame order (one TCP stream, written and read in order), so their tables stay equal.
//
//   entry := NEW u16 klen key u32 vlen value      key enters the table at the next index
//          | SET u16 index u32 vlen value         a new value for a known key
//          | SAME u16 index                       the value last sent for that key
//          | LITERAL u16 klen key u32 vlen value  the table is full: key and value, remembered by neither
//
// Keys leave as Go's canonical form and values as the HTTP path writes them (CR/LF as spaces,
// trimmed), so a handler sees the same metadata whichever path a call took.
import { FrameError } from "./errors.js";
import { canonicalHeaderKey } from "./header-keys.js";
import { cleanValue, InvalidHeaderError } from "./writer.js";

const NEW = 1;
const SET = 2;
const SAME = 3;
const LITERAL = 4;

/** Keys a table holds: far more than RPC messages use, few enough to bound a hostile peer. */
export const MAX_KEYS = 1024;

interface Known {
  index: number;
  /** The raw value last sent under this key, as the caller gave it. */
  last: string | undefined;
}

/** One connection's outgoing table. */
export class HeaderTableEncoder {
  readonly #known = new Map<string, Known>();
  #scratch: Buffer = Buffer.allocUnsafe(1024);

  /**
   * `header` encoded into a buffer that is valid until the next call. Throws InvalidHeaderError on
   * a key that is not an HTTP token (nothing is remembered from a header that fails).
   */
  encode(header: Record<string, string> | undefined): Buffer {
    if (header === undefined) return EMPTY;
    let p = 0;
    // checked first, so a failure leaves the table as the peer's decoder will have it
    for (const raw in header) {
      if (!this.#known.has(raw) && canonicalHeaderKey(raw) === undefined)
        throw new InvalidHeaderError(`invalid header field name ${JSON.stringify(raw)}`);
    }
    for (const raw in header) {
      const value = header[raw] as unknown;
      const v = typeof value === "string" ? value : String(value);
      const known = this.#known.get(raw);
      if (known !== undefined) {
        if (known.last === v) {
          p = this.#reserve(p, 3);
          this.#scratch[p] = SAME;
          this.#scratch.writeUInt16BE(known.index, p + 1);
          p += 3;
        } else {
          known.last = v;
          p = this.#reserve(p, 3);
          this.#scratch[p] = SET;
          this.#scratch.writeUInt16BE(known.index, p + 1);
          p = this.#value(p + 3, v);
        }
        continue;
      }
      const key = canonicalHeaderKey(raw)!;
      const remember = this.#known.size < MAX_KEYS;
      if (remember) this.#known.set(raw, { index: this.#known.size, last: v });
      p = this.#reserve(p, 3 + key.length);
      this.#scratch[p] = remember ? NEW : LITERAL;
      this.#scratch.writeUInt16BE(key.length, p + 1);
      this.#scratch.write(key, p + 3, "latin1");
      p = this.#value(p + 3 + key.length, v);
    }
    return this.#scratch.subarray(0, p);
  }

  #value(p: number, raw: string): number {
    const v = cleanValue(raw);
    p = this.#reserve(p, 4 + v.length * 3);
    const n = this.#scratch.write(v, p + 4, "utf8");
    this.#scratch.writeUInt32BE(n, p);
    return p + 4 + n;
  }

  /** Makes room for `n` more bytes after `p`; returns `p`. */
  #reserve(p: number, n: number): number {
    if (p + n > this.#scratch.length) {
      const next = Buffer.allocUnsafe(Math.max(this.#scratch.length * 2, p + n));
      this.#scratch.copy(next, 0, 0, p);
      this.#scratch = next;
    }
    return p;
  }
}

/** One connection's incoming table. */
export class HeaderTableDecoder {
  readonly #keys: string[] = [];
  readonly #last: string[] = [];

  /** The header map in `buf[start, end)`. Throws FrameError on entries that do not fit the table. */
  decode(buf: Buffer, start: number, end: number): Record<string, string> {
    const out: Record<string, string> = {};
    let p = start;
    while (p < end) {
      const op = buf[p]!;
      if (p + 3 > end) throw broken("entry cut short");
      const word = buf.readUInt16BE(p + 1);
      p += 3;
      if (op === SAME) {
        const key = this.#key(word);
        out[key] = this.#last[word]!;
        continue;
      }
      let key: string;
      if (op === SET) key = this.#key(word);
      else if (op === NEW || op === LITERAL) {
        if (p + word > end) throw broken("key cut short");
        key = buf.toString("latin1", p, p + word);
        p += word;
        // what our encoder sends; anything else is not a header an HTTP peer could have sent
        if (canonicalHeaderKey(key) !== key) throw broken(`bad key ${JSON.stringify(key)}`);
      } else throw broken(`unknown entry ${op}`);
      if (p + 4 > end) throw broken("value cut short");
      const n = buf.readUInt32BE(p);
      p += 4;
      if (p + n > end) throw broken("value cut short");
      const value = buf.toString("utf8", p, p + n);
      p += n;
      out[key] = value;
      if (op === SET) this.#last[word] = value;
      else if (op === NEW) {
        if (this.#keys.length >= MAX_KEYS) throw broken("header table full");
        this.#keys.push(key);
        this.#last.push(value);
      }
    }
    return out;
  }

  #key(index: number): string {
    const key = this.#keys[index];
    if (key === undefined) throw broken(`no header key ${index}`);
    return key;
  }
}

const EMPTY = Buffer.alloc(0);

function broken(what: string): FrameError {
  return new FrameError(400, `mux header: ${what}`);
}
