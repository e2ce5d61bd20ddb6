// Plain values to and from JSON the way Go's encoding/json writes and reads them, so a Go peer sees
// the bytes it would have produced itself.
import { goEscape } from "@micro/core/plugin-kit";

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

// JSON.rawJSON (Node 21+) lets a bigint keep every digit, as Go writes an int64.
const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

// `this` is the holder, so we see a Buffer before its own toJSON turns it into {type, data}.
function goReplacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  // Go marshals []byte as a base64 string
  if (original instanceof Uint8Array) return Buffer.from(original).toString("base64");
  if (typeof value === "bigint") return rawJSON ? rawJSON(value.toString()) : value.toString();
  return value;
}

// A replacer takes JSON.stringify off its fast path (several times slower for small messages), so
// values are scanned first and only those that hold bytes, bigints or their own toJSON (which could
// return either), or are too big to scan cheaply, go through it.
const SCAN_BUDGET = 256;

/** The budget left after scanning `v`, or -1 when `v` needs the replacer. */
function plainJSON(v: unknown, budget: number): number {
  if (--budget < 0) return -1;
  if (typeof v === "bigint") return -1;
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

// The reviver sees each number's source text (JSON.parse source access, Node 22+): an integer literal
// beyond 2^53 is rebuilt from its digits; fractions, exponents and everything else stay as parsed.
function bigIntegersAsBigInt(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && (value > LIMIT || value < -LIMIT)) {
    const source = context?.source;
    if (source !== undefined && INTEGER.test(source)) return BigInt(source);
  }
  return value;
}

// When a message type says what a field is, its fromObject takes the exact decimal string instead.
function bigIntegersAsString(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && (value > LIMIT || value < -LIMIT)) {
    const source = context?.source;
    if (source !== undefined && INTEGER.test(source)) return source;
  }
  return value;
}

type Reviver = (key: string, value: unknown) => unknown;

/**
 * JSON text as a value, integers beyond 2^53 kept exact: as `bigint` (plain values), or as their
 * decimal string (`"string"`, for a message type's fromObject). Everything else is what JSON.parse
 * gives. A reviver makes JSON.parse several times slower, so the text is parsed plainly first and
 * parsed again with one only when the result holds a number that big (a walk over the values, much
 * cheaper than scanning the text, and free of false alarms from digits inside strings).
 */
export function parseJSON(text: string, bigIntegers: "bigint" | "string" = "bigint"): unknown {
  const value: unknown = JSON.parse(text);
  if (!hasUnsafeNumber(value)) return value;
  return JSON.parse(text, (bigIntegers === "string" ? bigIntegersAsString : bigIntegersAsBigInt) as Reviver);
}
