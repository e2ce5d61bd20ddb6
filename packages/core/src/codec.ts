// Codecs turn message values into bodies and back, chosen by Content-Type as go-micro does.

/**
 * A message type descriptor a codec may need (protobuf needs one; JSON does not). Anything with
 * protobufjs' or ts-proto's static shape fits: `encode(m).finish()` and `decode(bytes)`.
 */
export interface MessageType<T = unknown> {
  encode(message: T): { finish(): Uint8Array };
  decode(data: Uint8Array): T;
  /** protobufjs: plain object -> message; used before encode when present. */
  fromObject?(object: Record<string, unknown>): T;
  /** protobufjs: message -> plain object; used after decode when present. */
  toObject?(message: T, options?: Record<string, unknown>): unknown;
  /** protobufjs Type name, used for registry schemas. */
  name?: string;
}

/** go-micro's codec.MessageType. */
export const MessageKind = { Error: 0, Request: 1, Response: 2, Event: 3 } as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** Call information that envelope codecs (json-rpc, proto-rpc, grpc) carry inside the body. */
export interface CodecHeader {
  id: string;
  service?: string;
  method?: string;
  endpoint?: string;
  error?: string;
}

export interface Codec {
  /** go-micro's codec name: "json", "proto", "bytes", "json-rpc", "proto-rpc", "grpc". */
  readonly name: string;
  /** Every Content-Type this codec serves, the canonical one first. */
  readonly contentTypes: readonly string[];
  marshal(value: unknown, type?: MessageType): Uint8Array;
  unmarshal<T = unknown>(data: Uint8Array, type?: MessageType<T>): T;
  /** Envelope codecs only: wrap an encoded body with call information. */
  wrap?(kind: MessageKind, header: CodecHeader, body: Uint8Array): Uint8Array;
  /** Envelope codecs only: split a received body into call information and the inner body. */
  unwrap?(kind: MessageKind, data: Uint8Array): { header: CodecHeader; body: Uint8Array };
}

/**
 * Raw bytes that every codec passes through untouched, like go-micro's `bytes.Frame`: `micro call`
 * and gateways send JSON text they did not parse.
 */
export class Frame {
  constructor(readonly data: Uint8Array) {}
}
