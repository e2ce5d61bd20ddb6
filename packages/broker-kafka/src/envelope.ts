// go-micro's broker envelope: Go's encoding/json of broker.Message, whose fields carry no json tags,
// so the keys are `Header` and `Body` and the body is standard padded base64. The kafka plugin puts
// these bytes in each record's value, exactly as the http broker POSTs them.
import { type BrokerMessage, goJSON } from "@micro/core";

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvelopeError";
  }
}

// Go sorts map keys by their UTF-8 bytes; a plain JS sort compares UTF-16 units, which differs for
// characters outside the BMP.
function byUTF8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The record value go-micro's kafka broker produces for `message`. */
export function encodeEnvelope(message: BrokerMessage): Buffer {
  const header: Record<string, string> = {};
  for (const k of Object.keys(message.header).sort(byUTF8)) header[k] = String(message.header[k]);
  const body = Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength);
  return Buffer.from(goJSON({ Header: header, Body: body.toString("base64") }), "utf8");
}

/** A decoded envelope; `body` is undefined when the JSON had no (or a null) Body. */
export interface Envelope {
  header: Record<string, string>;
  body: Uint8Array | undefined;
}

// encoding/json matches field names exactly first, then case-insensitively.
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

// Go's base64.StdEncoding: padding required, CR/LF skipped, anything outside the alphabet refused
// (Buffer.from(s, "base64") would silently accept garbage and the URL alphabet).
function decodeBase64(s: string): Uint8Array {
  const clean = s.includes("\n") || s.includes("\r") ? s.replace(/[\r\n]/g, "") : s;
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new EnvelopeError("Body: illegal base64 data");
  }
  return new Uint8Array(Buffer.from(clean, "base64"));
}

/** Parses a record value as a Go subscriber would; throws EnvelopeError where Go's Unmarshal fails. */
export function decodeEnvelope(value: Buffer | string): Envelope {
  let v: unknown;
  try {
    v = JSON.parse(typeof value === "string" ? value : value.toString("utf8"));
  } catch (err) {
    throw new EnvelopeError((err as Error).message);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new EnvelopeError("expected a JSON object with Header and Body");
  }
  const rawHeader = field(v as Record<string, unknown>, "Header");
  const rawBody = field(v as Record<string, unknown>, "Body");
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
