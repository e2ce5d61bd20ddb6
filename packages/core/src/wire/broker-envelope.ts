// go-micro's broker envelope (what most of its brokers carry): Go's encoding/json of broker.Message,
// whose fields have no json tags, so the keys are `Header` and `Body` and the body is standard base64
// with padding.
//
// Brokers encode and decode one per message, so both directions have a fast path: the output is
// assembled by hand (plain-ASCII strings need no escaping, header names are escaped once and
// cached; anything else goes through the same JSON.stringify + Go escaping as before), and the
// input is matched against the exact shape Go produces. Whatever the matcher does not recognise goes
// to JSON.parse, so both paths accept and refuse exactly the same inputs.
import { isAscii } from "node:buffer";
import type { BrokerMessage } from "../broker.js";
import { goJSON } from "./go-json.js";
import { pick } from "./registry-json.js";

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

// Go sorts map keys by their UTF-8 bytes; JS's default sort compares UTF-16 units, which differs for
// characters outside the BMP.
function byUTF8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const SURROGATE = /[\ud800-\udfff]/;
// printable ASCII except the characters JSON or Go's HTML-safe encoder escape
const PLAIN = /^[\u0020-\u0021\u0023-\u0025\u0027-\u003b\u003d\u003f-\u005b\u005d-\u007e]*$/;

function quote(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : goJSON(s);
}

// Header names repeat from message to message (Content-Type, Micro-Topic, Micro-ID...): their JSON
// form is computed once. Bounded, so arbitrary names cannot grow it without limit.
const quotedKeys = new Map<string, string>();
function quoteKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    if (quotedKeys.size >= 1024) quotedKeys.clear();
    q = quote(k);
    quotedKeys.set(k, q);
  }
  return q;
}

function sorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return true;
}

/** Everything before the base64 body: `{"Header":{…},"Body":"`. */
function head(header: Record<string, string>): string {
  const keys = Object.keys(header);
  if (keys.length > 1) {
    // UTF-16 order equals UTF-8 byte order unless a key has characters outside the BMP
    if (keys.some((k) => SURROGATE.test(k))) keys.sort(byUTF8);
    else if (!sorted(keys)) keys.sort();
  }
  let out = '{"Header":{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (i > 0) out += ",";
    out += `${quoteKey(k)}:${quote(String(header[k]))}`;
  }
  return `${out}},"Body":"`;
}

const bodyBuffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The exact JSON go-micro's brokers send for `message`. */
export function encodeEnvelope(message: BrokerMessage): string {
  return `${head(message.header)}${bodyBuffer(message.body).toString("base64")}"}`;
}

/** encodeEnvelope as UTF-8 bytes (one native encode of the assembled string: fewer calls than writing the parts). */
export function encodeEnvelopeBytes(message: BrokerMessage): Buffer {
  return Buffer.from(encodeEnvelope(message), "utf8");
}

// Go's base64.StdEncoding: padding required, `\r` and `\n` skipped, anything else outside the
// alphabet rejected (Buffer.from(..., "base64") would silently accept garbage and the URL alphabet).
function decodeBase64(s: string): Uint8Array {
  const clean = s.includes("\n") || s.includes("\r") ? s.replace(/[\r\n]/g, "") : s;
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new EnvelopeError("Body: illegal base64 data");
  }
  return new Uint8Array(Buffer.from(clean, "base64"));
}

/** Parses an envelope as a Go subscriber would; throws EnvelopeError on anything Go would refuse. */
export function decodeEnvelope(text: string): BrokerMessage {
  const fast = scanEnvelope(text);
  if (fast) return fast;
  const { header, body } = parseEnvelope(text);
  return { header, body: body ?? new Uint8Array(0) };
}

/** decodeEnvelope of UTF-8 bytes (a message payload or body). */
export function decodeEnvelopeBytes(data: Uint8Array): BrokerMessage {
  // envelopes are almost always ASCII, and latin1 is a plain copy where utf8 has to decode
  return decodeEnvelope(bodyBuffer(data).toString(isAscii(data) ? "latin1" : "utf8"));
}

/** Like decodeEnvelope, but an absent or null Body stays undefined (some go-micro brokers then use the raw value). */
export function parseEnvelope(text: string): {
  header: Record<string, string>;
  body: Uint8Array | undefined;
} {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new EnvelopeError((err as Error).message);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new EnvelopeError("expected a JSON object with Header and Body");
  }
  const rawHeader = pick(v as Record<string, unknown>, "Header");
  const rawBody = pick(v as Record<string, unknown>, "Body");
  const header: Record<string, string> = {};
  if (rawHeader !== null && rawHeader !== undefined) {
    if (typeof rawHeader !== "object" || Array.isArray(rawHeader))
      throw new EnvelopeError("Header: expected an object");
    for (const [k, x] of Object.entries(rawHeader)) {
      if (typeof x !== "string") throw new EnvelopeError(`Header.${k}: expected a string`);
      header[k] = x;
    }
  }
  if (rawBody === null || rawBody === undefined) return { header, body: undefined };
  if (typeof rawBody !== "string") throw new EnvelopeError("Body: expected a base64 string");
  return { header, body: decodeBase64(rawBody) };
}

// ---- the fast decoder -------------------------------------------------------------------------

// Go's shape, no whitespace: {"Header":null|{"k":"v",…},"Body":null|"base64"}. Strings without
// escapes or control characters, base64 of the standard alphabet; anything else is left to JSON.parse.
const HEADER_OPEN = '{"Header":';
// a string's characters: anything but `"`, `\` and the controls below U+0020
const ENTRY =
  /"([\u0020\u0021\u0023-\u005b\u005d-\uffff]*)":"([\u0020\u0021\u0023-\u005b\u005d-\uffff]*)"([,}])/y;
const BODY = /,"Body":(?:null|"([A-Za-z0-9+/]*={0,2})")\}$/y;

function scanEnvelope(text: string): BrokerMessage | undefined {
  if (!text.startsWith(HEADER_OPEN)) return undefined;
  let i = HEADER_OPEN.length;
  const header: Record<string, string> = {};
  if (text.startsWith("null", i)) {
    i += 4;
  } else if (text.startsWith("{}", i)) {
    i += 2;
  } else if (text.charCodeAt(i) === 0x7b) {
    i++;
    for (;;) {
      ENTRY.lastIndex = i;
      const m = ENTRY.exec(text);
      if (!m) return undefined;
      header[m[1]!] = m[2]!;
      i = ENTRY.lastIndex;
      if (m[3] === "}") break;
    }
  } else {
    return undefined;
  }
  BODY.lastIndex = i;
  const m = BODY.exec(text);
  if (!m) return undefined;
  const b64 = m[1];
  if (b64 === undefined || b64 === "") return { header, body: new Uint8Array(0) };
  if (b64.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(b64, "base64");
  return { header, body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
