// go-micro's broker envelope (http, nats and kafka brokers): Go's encoding/json of broker.Message,
// whose fields have no json tags, so the keys are `Header` and `Body` and the body is standard base64
// with padding.
import type { BrokerMessage } from "./broker.js";
import { goJSON } from "./errors.js";
import { pick } from "./registry.js";

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

/** The exact JSON go-micro's brokers send for `message`. */
export function encodeEnvelope(message: BrokerMessage): string {
  const header: Record<string, string> = {};
  const keys = Object.keys(message.header);
  // UTF-16 order equals UTF-8 byte order unless a key has characters outside the BMP
  keys.sort(keys.some((k) => /[\ud800-\udfff]/.test(k)) ? byUTF8 : undefined);
  for (const k of keys) header[k] = String(message.header[k]);
  const body = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength);
  return goJSON({ Header: header, Body: body.toString("base64") });
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
  const { header, body } = parseEnvelope(text);
  return { header, body: body ?? new Uint8Array(0) };
}

/** Like decodeEnvelope, but an absent or null Body stays undefined (go-micro's kafka plugin then uses the raw value). */
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
