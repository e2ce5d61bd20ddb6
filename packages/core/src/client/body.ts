// Request and reply bodies through the call's codec. A Frame passes through both ways, as go-micro's
// bytes.Frame does: gateways and `micro call` forward JSON text they never parse.
import { type Codec, Frame, type MessageType } from "../codec.js";
import { MicroError } from "../errors.js";

/** What CallOptions.responseType accepts: a message type, or `Frame` for the reply bytes as sent. */
export type ResponseType = MessageType | typeof Frame;

export function marshalBody(codec: Codec, value: unknown, type?: MessageType): Uint8Array {
  if (value instanceof Frame) return value.data;
  try {
    return codec.marshal(value, type);
  } catch (err) {
    throw err instanceof MicroError
      ? err
      : MicroError.internal(
          "go.micro.client.codec",
          `encoding request: ${err instanceof Error ? err.message : err}`,
        );
  }
}

/** `what` names the body in the error: "response" or "stream message". */
export function unmarshalBody(
  codec: Codec,
  data: Uint8Array,
  type: ResponseType | undefined,
  what: string,
): unknown {
  if (type === Frame) return new Frame(data);
  try {
    return codec.unmarshal(data, type as MessageType | undefined);
  } catch (err) {
    throw MicroError.internal(
      "go.micro.client.codec",
      `decoding ${what}: ${err instanceof MicroError ? err.detail : err instanceof Error ? err.message : err}`,
    );
  }
}
