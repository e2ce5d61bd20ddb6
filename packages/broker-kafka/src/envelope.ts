// go-micro's broker envelope (core has it) as kafka record values: bytes out, and an absent Body kept
// apart from an empty one, because go-micro's kafka plugin then delivers the raw record value.
import type { BrokerMessage } from "@micro/core";
import { EnvelopeError, encodeEnvelopeBytes, parseEnvelope } from "@micro/core/plugin-kit";

export { EnvelopeError };

/** A decoded envelope; `body` is undefined when the JSON had no (or a null) Body. */
export interface Envelope {
  header: Record<string, string>;
  body: Uint8Array | undefined;
}

/** The record value go-micro's kafka broker produces for `message`. */
export function encodeEnvelope(message: BrokerMessage): Buffer {
  return encodeEnvelopeBytes(message);
}

/** Parses a record value as a Go subscriber would; throws EnvelopeError where Go's Unmarshal fails. */
export function decodeEnvelope(value: Buffer | string): Envelope {
  return parseEnvelope(typeof value === "string" ? value : value.toString("utf8"));
}
