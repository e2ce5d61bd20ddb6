// MessagePack bodies (application/msgpack) on msgpackr, restricted to the standard format so any
// MessagePack library (Go's vmihailenco/msgpack, Python's msgpack...) reads what we write.
import { type Codec, Frame, type MessageType, MicroError } from "@micro/core";
import { Packr } from "msgpackr";
import { nonStandard } from "./standard.js";

const ID = "go.micro.codec";

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const packr = new Packr({
  // records and bundled strings are msgpackr-only extensions other decoders cannot read
  useRecords: false,
  bundleStrings: false,
  moreTypes: false,
  // fixmap/map16/map32 by size, as every other encoder writes maps (msgpackr's default is map16)
  variableMapSize: true,
  mapsAsObjects: true,
  // bin values are copies, so a decoded value never aliases (or pins) the transport's buffer
  copyBuffers: true,
  // undefined is nil, as JSON's null, rather than msgpackr's private extension
  encodeUndefinedAsNil: true,
  // int64 values: numbers while exact, bigint beyond 2^53 (no silent precision loss)
  int64AsType: "auto" as "bigint",
  writeFunction: () => {
    throw new TypeError("a function cannot be encoded");
  },
});

export const msgpackCodec: Codec = {
  name: "msgpack",

  marshal(value: unknown, _type?: MessageType): Uint8Array {
    if (value instanceof Frame) return value.data;
    try {
      return packr.pack(value);
    } catch (err) {
      throw MicroError.internal(ID, `msgpack: cannot encode: ${reason(err)}`);
    }
  },

  unmarshal<T>(data: Uint8Array, _type?: MessageType<T>): T {
    // an empty body is a zero-valued request, as with go-micro's json and proto codecs
    if (data.length === 0) return {} as T;
    const odd = nonStandard(data);
    if (odd) throw MicroError.badRequest(ID, `msgpack: invalid body: ${odd}`);
    let value: unknown;
    try {
      // a Buffer view (no copy) so bin values come back as Buffers whatever the caller passed
      value = packr.unpack(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      throw MicroError.badRequest(ID, `msgpack: invalid body (${data.length} bytes): ${reason(err)}`);
    }
    return value as T;
  },
};
