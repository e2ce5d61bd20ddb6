// go-micro's json codec (application/json): one JSON value per body, written like Go's json.Encoder.
import { type Codec, Frame, type MessageType, MicroError } from "@micro/core";
import { bodyText, encodeGoJSON, isBlank, parseJSON } from "./go-json.js";
import { canConvert, messageToWire, wireToApplication } from "./proto-json.js";

const ID = "go.micro.codec";

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function typeName(type: MessageType): string {
  return type.name ? ` ${type.name}` : "";
}

export const jsonCodec: Codec = {
  name: "json",

  marshal(value: unknown, type?: MessageType): Uint8Array {
    if (value instanceof Frame) return value.data;
    try {
      return encodeGoJSON(canConvert(type) && value != null ? messageToWire(type, value) : value);
    } catch (err) {
      throw MicroError.internal(ID, `json: cannot encode${type ? typeName(type) : ""}: ${reason(err)}`);
    }
  },

  unmarshal<T>(data: Uint8Array, type?: MessageType<T>): T {
    const text = bodyText(data);
    const typed = canConvert(type as MessageType | undefined);
    let value: unknown;
    if (isBlank(text)) {
      // Go's server skips decoding an empty body and hands the handler a zero-valued request
      value = {};
    } else {
      try {
        value = parseJSON(text, typed ? "string" : "bigint");
      } catch (err) {
        throw MicroError.badRequest(ID, `json: invalid body (${data.length} bytes): ${reason(err)}`);
      }
    }
    if (!typed) return value as T;
    const t = type as MessageType & Required<Pick<MessageType, "fromObject" | "toObject">>;
    if (value === null) value = {};
    if (typeof value !== "object" || Array.isArray(value)) {
      throw MicroError.badRequest(
        ID,
        `json: expected an object for${typeName(t)}, got ${Array.isArray(value) ? "an array" : typeof value}`,
      );
    }
    try {
      return wireToApplication(t, value) as T;
    } catch (err) {
      throw MicroError.badRequest(ID, `json: cannot decode${typeName(t)}: ${reason(err)}`);
    }
  },
};
