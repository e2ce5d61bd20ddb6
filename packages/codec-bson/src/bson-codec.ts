// BSON bodies (application/bson): every body is one BSON document, as Go's bson.Marshal writes.
import { type Codec, Frame, type MessageType, MicroError } from "@micro/core";
import { BSON } from "bson";
import { checkEncodable } from "./encodable.js";

const ID = "go.micro.codec";

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

// A document is a plain object or a Map; bson would also take class instances, but their
// prototype would be lost on the way back, so only shapes that round trip are accepted.
function isDocument(value: unknown): value is Record<string, unknown> | Map<string, unknown> {
  if (value instanceof Map) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const DECODE = {
  // int64 fields become bigints (exact), int32 and double become numbers: the sender's type decides
  useBigInt64: true,
  // generic binary (subtype 0) as Buffers rather than bson's Binary wrapper
  promoteBuffers: true,
} as const;

export const bsonCodec: Codec = {
  name: "bson",

  marshal(value: unknown, _type?: MessageType): Uint8Array {
    if (value instanceof Frame) return value.data;
    // BSON has no top-level scalars or arrays (Go's bson.Marshal refuses them too); wrapping them
    // silently would invent a field name the peer does not expect
    if (!isDocument(value)) {
      throw MicroError.internal(
        ID,
        `bson: a body must be a document (a plain object or Map), got ${describe(value)}: wrap it, e.g. { value }`,
      );
    }
    try {
      checkEncodable(value);
      return BSON.serialize(value);
    } catch (err) {
      throw MicroError.internal(ID, `bson: cannot encode: ${reason(err)}`);
    }
  },

  unmarshal<T>(data: Uint8Array, _type?: MessageType<T>): T {
    // an empty body is a zero-valued request, as go-micro's server treats one
    if (data.length === 0) return {} as T;
    try {
      return BSON.deserialize(data, DECODE) as T;
    } catch (err) {
      throw MicroError.badRequest(ID, `bson: invalid body (${data.length} bytes): ${reason(err)}`);
    }
  },
};
