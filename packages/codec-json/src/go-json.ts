// Plain values to and from JSON the way Go's encoding/json writes and reads them, so a Go peer sees
// the bytes it would have produced itself.
import { bigintAsNumber, goEscape } from "@micro/core/plugin-kit";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

// JSON.rawJSON (Node 21+; core needs 22) writes its text as it is
const { rawJSON } = JSON as unknown as { rawJSON: (text: string) => unknown };

// Go writes a negative zero as -0; JSON.stringify writes 0, and the sign would be lost on the way.
const isNegativeZero = (v: unknown) => v === 0 && 1 / (v as number) < 0;

// `this` is the holder, so we see a Buffer before its own toJSON turns it into {type, data}.
function goReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  // Go marshals []byte as a base64 string
  if (original instanceof Uint8Array) return Buffer.from(original).toString("base64");
  if (isNegativeZero(value)) return rawJSON("-0");
  return bigintAsNumber(key, value);
}

// A replacer takes JSON.stringify off its fast path (several times slower for small messages), so
// values are scanned first and only those that hold bytes, bigints, negative zeros or their own toJSON
// (which could return either), or are too big to scan cheaply, go through it.
const SCAN_BUDGET = 256;

/** The budget left after scanning `v`, or -1 when `v` needs the replacer. */
function plainJSON(v: unknown, budget: number): number {
  if (--budget < 0) return -1;
  if (typeof v === "bigint" || isNegativeZero(v)) return -1;
  if (v === null || typeof v !== "object") return budget;
  if (v instanceof Uint8Array || typeof (v as { toJSON?: unknown }).toJSON === "function") return -1;
  if (Array.isArray(v)) {
    for (const item of v) {
      budget = plainJSON(item, budget);
      if (budget < 0) return -1;
    }
    return budget;
  }
  for (const k in v) {
    budget = plainJSON((v as Record<string, unknown>)[k], budget);
    if (budget < 0) return -1;
  }
  return budget;
}

/** Go's json.Encoder output: HTML-escaped JSON plus the trailing newline it always writes. */
export function encodeGoJSON(value: unknown): Uint8Array {
  // Go encodes a nil interface as null; JSON.stringify would return undefined
  const v = value === undefined ? null : value;
  const text = (plainJSON(v, SCAN_BUDGET) >= 0 ? JSON.stringify(v) : JSON.stringify(v, goReplacer)) ?? "null";
  return utf8.encode(`${goEscape(text)}\n`);
}

export function bodyText(data: Uint8Array): string {
  return utf8Decoder.decode(data);
}

/** True for bodies Go's server never decodes: nothing, or only whitespace. */
export function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

interface ReviverContext {
  source?: string;
}

// Every integer up to 2^53-1 in magnitude is exact as a double; beyond it a JSON number may have lost
// digits (Go's int64 and uint64 go up to 2^63-1 and 2^64-1).
const LIMIT = Number.MAX_SAFE_INTEGER;
const INTEGER = /^-?\d+$/;

/** Whether a parsed value holds a number beyond ±(2^53-1) anywhere (only then can digits be lost). */
function hasUnsafeNumber(v: unknown): boolean {
  return typeof v === "object"
    ? v !== null && unsafeInside(v)
    : typeof v === "number" && (v > LIMIT || v < -LIMIT);
}

// Numbers are checked in the loop rather than by a call per value: this walk runs on every message.
function unsafeInside(v: object): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (
        typeof x === "number"
          ? x > LIMIT || x < -LIMIT
          : typeof x === "object" && x !== null && unsafeInside(x)
      )
        return true;
    }
    return false;
  }
  for (const k in v) {
    const x: unknown = (v as Record<string, unknown>)[k];
    if (
      typeof x === "number" ? x > LIMIT || x < -LIMIT : typeof x === "object" && x !== null && unsafeInside(x)
    )
      return true;
  }
  return false;
}

type Reviver = (key: string, value: unknown) => unknown;

// The reviver sees each number's source text (JSON.parse source access, Node 22+): an integer literal
// beyond 2^53 is rebuilt from its digits, as a bigint or (for a message type's fromObject, which takes
// the exact decimal string) as its text; fractions, exponents and everything else stay as parsed.
function bigIntegers(asBigInt: boolean): Reviver {
  return ((_key: string, value: unknown, context?: ReviverContext): unknown => {
    if (typeof value === "number" && (value > LIMIT || value < -LIMIT)) {
      const source = context?.source;
      if (source !== undefined && INTEGER.test(source)) return asBigInt ? BigInt(source) : source;
    }
    return value;
  }) as Reviver;
}
const bigIntegersAsBigInt = bigIntegers(true);
const bigIntegersAsString = bigIntegers(false);

const MAX_SAFE_DIGITS = String(LIMIT); // 16 digits

/**
 * The text with every integer literal beyond ±(2^53-1) turned into a string that starts with U+0000
 * (`-9223372036854775807` -> `"\u0000-9223372036854775807"`), or undefined when there is none (the
 * big numbers were floats or exponents, which JSON.parse already got right). Only called on text that
 * JSON.parse has accepted, so strings, escapes and number syntax can be taken as valid.
 */
function markBigIntegers(text: string): string | undefined {
  let out: string | undefined;
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string (key or value): skip to its closing quote, escapes included
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
      continue;
    }
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) continue;
    const start = i;
    if (c === 0x2d) i++;
    const digitsFrom = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const next = i < n ? text.charCodeAt(i) : 0;
    if (next === 0x2e || next === 0x65 || next === 0x45) {
      // a fraction or an exponent: a float, left alone; skip the rest of it
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (!((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d || d === 0x65 || d === 0x45)) break;
      }
    } else {
      const digits = i - digitsFrom;
      // no leading zeros in JSON: more than 16 digits is beyond 2^53, 16 digits compare as text
      if (digits > 16 || (digits === 16 && text.slice(digitsFrom, i) > MAX_SAFE_DIGITS)) {
        out = `${out ?? ""}${text.slice(copied, start)}"\\u0000${text.slice(start, i)}"`;
        copied = i;
      }
    }
    i--;
  }
  return out === undefined ? undefined : out + text.slice(copied);
}

/** Turns the marked strings of a parse of markBigIntegers' text back into integers, in place. */
function unmark(v: unknown, asBigInt: boolean): unknown {
  if (typeof v === "string") {
    if (v.charCodeAt(0) !== 0) return v;
    return asBigInt ? BigInt(v.slice(1)) : v.slice(1);
  }
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === "object" ? x !== null : typeof x === "string" && x.charCodeAt(0) === 0)
        v[i] = unmark(x, asBigInt);
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === "object" ? x !== null : typeof x === "string" && x.charCodeAt(0) === 0)
      o[k] = unmark(x, asBigInt);
  }
  return v;
}

/**
 * JSON text as a value, integers beyond 2^53 kept exact: as `bigint` (plain values), or as their
 * decimal string (`"string"`, for a message type's fromObject). Everything else is what JSON.parse
 * gives.
 *
 * The common case pays one walk over the parsed values (cheaper than scanning the text, and free of
 * false alarms from digits inside strings). Only when a number beyond 2^53 turns up is the text
 * scanned for integer literals that big; each is quoted with a U+0000 mark, the text parsed again
 * and the marked strings turned into integers, about 3x faster than JSON.parse with a reviver (which
 * is still used for text that holds a `\u0000` escape of its own, as such a string could pass for a
 * mark).
 */
export function parseJSON(text: string, bigIntegers: "bigint" | "string" = "bigint"): unknown {
  const value: unknown = JSON.parse(text);
  return hasUnsafeNumber(value) ? parseExact(text, value, bigIntegers === "bigint") : value;
}

// The slow path, kept out of parseJSON so that stays small enough to inline.
function parseExact(text: string, parsed: unknown, asBigInt: boolean): unknown {
  // a number beyond float64 (1e400) is Infinity to JSON.parse, and null once written again; Go
  // refuses it ("cannot unmarshal number 1e400 into Go value of type float64"), so do we
  if (hasInfinity(parsed)) throw new RangeError("a number is out of the range of a float64");
  if (text.includes("\\u0000")) {
    return JSON.parse(text, asBigInt ? bigIntegersAsBigInt : bigIntegersAsString);
  }
  const marked = markBigIntegers(text);
  return marked === undefined ? parsed : unmark(JSON.parse(marked), asBigInt);
}

function hasInfinity(v: unknown): boolean {
  if (typeof v === "number") return !Number.isFinite(v);
  if (typeof v !== "object" || v === null) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (hasInfinity(x)) return true;
  return false;
}
