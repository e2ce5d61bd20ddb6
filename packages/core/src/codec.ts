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

export interface Codec {
  /** go-micro's codec name, as its registration names it. */
  readonly name: string;
  marshal(value: unknown, type?: MessageType): Uint8Array;
  unmarshal<T = unknown>(data: Uint8Array, type?: MessageType<T>): T;
}

/**
 * Raw bytes that every codec passes through untouched, like go-micro's `bytes.Frame`: `micro call`
 * and gateways send JSON text they did not parse.
 */
export class Frame {
  constructor(readonly data: Uint8Array) {}
}
