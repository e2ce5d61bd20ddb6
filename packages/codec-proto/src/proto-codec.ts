// go-micro's proto codec (application/protobuf): the body is the serialized message, nothing else.
import { type Codec, Frame, type MessageType, MicroError } from "@micro/core";
import protobuf from "protobufjs";
import { BodyReader } from "./body-reader.js";
import { forEncoding } from "./bool-keys.js";
import { fixMapEntries } from "./map-entries.js";

const ID = "go.micro.codec";

type Message = Record<string, unknown>;

/**
 * What `unmarshal` hands application code when it has a message type: a plain object (not a
 * message instance) with every field present (zero values like Go's), 64-bit integers as decimal
 * strings (exact), enums as names, bytes as Uint8Arrays (Buffers for fields the body left out). @micro/codec-json uses the same options, so
 * a handler sees the same shape whichever Content-Type the caller chose.
 */
export const TO_APPLICATION = {
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
} as const;

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isEmptyObject(v: unknown): boolean {
  return isPlainObject(v) && Object.keys(v).length === 0;
}

export const protoCodec: Codec = {
  name: "proto",

  marshal(value: unknown, type?: MessageType): Uint8Array {
    if (value instanceof Uint8Array) return value;
    if (value instanceof Frame) return value.data;
    if (!type) {
      // a message with no field set encodes to zero bytes whatever its type (stream opening frames)
      if (isEmptyObject(value)) return new Uint8Array(0);
      throw MicroError.internal(
        ID,
        `protobuf codec needs a message type for ${describe(value)} values: pass requestType/responseType (a protobufjs Type) or send a Uint8Array`,
      );
    }
    try {
      const message = type.fromObject && isPlainObject(value) ? type.fromObject(value) : value;
      if (type instanceof protobuf.Type) return type.encode(forEncoding(type, message as Message)).finish();
      return type.encode(message).finish();
    } catch (err) {
      throw MicroError.internal(
        ID,
        `proto: cannot encode${type.name ? ` ${type.name}` : ""}: ${reason(err)}`,
      );
    }
  },

  unmarshal<T>(data: Uint8Array, type?: MessageType<T>): T {
    // without a type the caller asked for the raw message (go-micro's bytes.Frame)
    if (!type) return data as T;
    try {
      // A plain Uint8Array view (no copy), so bytes fields come out as Uint8Arrays, not Buffers.
      // Types of another protobufjs copy (or not protobufjs at all) would not take our reader;
      // given the view they use protobufjs' bounds-checked plain reader.
      const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      let message: T;
      if (type instanceof protobuf.Type) {
        message = type.decode(new BodyReader(view)) as T;
        fixMapEntries(type, message as Message);
      } else message = type.decode(view);
      // inside the try: whatever a body makes the conversion trip over is still a bad body (400)
      return (type.toObject ? type.toObject(message, TO_APPLICATION) : message) as T;
    } catch (err) {
      throw MicroError.badRequest(
        ID,
        `proto: cannot decode${type.name ? ` ${type.name}` : ""} (${data.length} bytes): ${reason(err)}`,
      );
    }
  },
};
