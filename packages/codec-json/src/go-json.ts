// Plain values to and from JSON the way Go's encoding/json writes and reads them, so a Go peer sees
// the bytes it would have produced itself.
import { goEscape } from "@micro/core";

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

// Integers beyond 2^53 lose digits as JS numbers; when a message type says what a field is, its
// fromObject takes the exact decimal string instead (JSON.parse source access, Node 22+).
function keepBigIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source) {
    if (/^-?\d+$/.test(context.source)) return context.source;
  }
  return value;
}

export function parseJSON(text: string, exactIntegers: boolean): unknown {
  return exactIntegers
    ? JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown)
    : JSON.parse(text);
}
