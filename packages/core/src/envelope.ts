// go-micro's legacy RPC envelope: the call's id and method travel inside the
// body instead of in Micro-* headers. Only the codecs of that protocol implement it.
import type { Codec } from "./codec.js";

/** go-micro's codec.MessageType. */
export const MessageKind = { Error: 0, Request: 1, Response: 2, Event: 3 } as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** Call information an envelope carries inside the body. */
export interface CodecHeader {
  id: string;
  service?: string;
  method?: string;
  endpoint?: string;
  error?: string;
}

export interface RpcEnvelope {
  /** Wraps an encoded body with call information. */
  wrap(kind: MessageKind, header: CodecHeader, body: Uint8Array): Uint8Array;
  /** Splits a received body into call information and the inner body. */
  unwrap(kind: MessageKind, data: Uint8Array): { header: CodecHeader; body: Uint8Array };
}

/** A codec of the legacy protocol: encodes values and carries the envelope. */
export interface EnvelopeCodec extends Codec {
  readonly envelope: RpcEnvelope;
}

export function envelopeOf(codec: Codec): RpcEnvelope | undefined {
  return (codec as Partial<EnvelopeCodec>).envelope;
}
