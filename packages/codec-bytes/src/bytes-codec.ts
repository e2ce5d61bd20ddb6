// go-micro's bytes codec: the body is the message. Callers that already hold encoded bytes (gateways,
// `micro call`, file transfers) use it to skip any encoding step.
import { type Codec, Frame, MicroError } from "@micro/core";

const utf8 = new TextEncoder();

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

export const bytesCodec: Codec = {
  name: "bytes",

  marshal(value: unknown): Uint8Array {
    if (value instanceof Uint8Array) return value;
    if (value instanceof Frame) return value.data;
    if (typeof value === "string") return utf8.encode(value);
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    throw MicroError.internal(
      "go.micro.codec",
      `bytes codec cannot encode ${describe(value)}: send a Uint8Array, a string or a Frame`,
    );
  },

  // Any body is valid bytes, so decoding never fails; the message type is irrelevant here.
  unmarshal<T>(data: Uint8Array): T {
    return data as T;
  },
};
