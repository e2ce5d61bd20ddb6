// Between broker messages and Kafka records, with the go-micro kafka plugin's rules on the way in:
// record headers merged over the envelope's, Micro-Topic forced to the Kafka topic, a missing
// Content-Type defaulted to application/json, and the raw value used when the envelope has no Body.
import type { BrokerMessage } from "@micro/core";
import type { IHeaders } from "kafkajs";
import { decodeEnvelope } from "./envelope.js";

export const TOPIC_HEADER = "Micro-Topic";
export const CONTENT_TYPE_HEADER = "Content-Type";
export const DEFAULT_CONTENT_TYPE = "application/json";

/** The message headers as Kafka record headers (Go peers read the envelope; others can read these). */
export function recordHeaders(message: BrokerMessage): IHeaders {
  const out: IHeaders = {};
  for (const [k, v] of Object.entries(message.header)) out[k] = String(v);
  return out;
}

function headerText(v: IHeaders[string]): string | undefined {
  if (v === undefined) return undefined;
  // a repeated header arrives as an array; like a Go map assignment, the last one wins
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  if (last === undefined) return undefined;
  return typeof last === "string" ? last : last.toString("utf8");
}

/**
 * The broker message a record carries. Throws EnvelopeError when the value is not an envelope
 * (the caller logs and skips it, as go-micro's error handler does).
 */
export function fromRecord(
  topic: string,
  value: Buffer | null,
  headers: IHeaders | undefined,
): BrokerMessage {
  const raw = value ?? Buffer.alloc(0);
  const envelope = decodeEnvelope(raw);
  const header = envelope.header;
  if (headers) {
    for (const [k, v] of Object.entries(headers)) {
      const text = headerText(v);
      if (text !== undefined) header[k] = text;
    }
  }
  header[TOPIC_HEADER] = topic;
  // Go checks presence, not emptiness: an explicit empty Content-Type is kept
  if (!(CONTENT_TYPE_HEADER in header)) header[CONTENT_TYPE_HEADER] = DEFAULT_CONTENT_TYPE;
  const body = envelope.body ?? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  return { header, body };
}
