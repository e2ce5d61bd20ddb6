// go-micro's proto-rpc messages: netstring(header) + netstring(body), the header a protorpc Request or Response
// (https://github.com/micro/go-micro/blob/v5.30.0/codec/protorpc/envelope.proto).
import { MicroError } from "@micro/core";
import { type CodecHeader, MessageKind } from "@micro/core/plugin-kit";
import { decodeHeader, encodeHeader, seqOf } from "./envelope-header.js";
import { netstrings, readNetstring } from "./netstring.js";

const ID = "go.micro.codec";
const EMPTY = new Uint8Array(0);

export function wrapEnvelope(kind: MessageKind, header: CodecHeader, body: Uint8Array): Uint8Array {
  // events travel as the bare message
  if (kind === MessageKind.Event) return body;
  const error = kind === MessageKind.Request ? "" : (header.error ?? "");
  const envelope = encodeHeader({
    serviceMethod: header.method || header.endpoint || "",
    seq: seqOf(header.id ?? ""),
    error,
  });
  // Go's server writes an empty body after an error
  return netstrings(envelope, error ? EMPTY : body);
}

export function unwrapEnvelope(
  kind: MessageKind,
  data: Uint8Array,
): { header: CodecHeader; body: Uint8Array } {
  if (kind === MessageKind.Event) return { header: { id: "" }, body: data };
  const head = readNetstring(data, 0, "header");
  const body = readNetstring(data, head.next, "body");
  if (body.next !== data.length) {
    throw MicroError.badRequest(
      ID,
      `proto-rpc: ${data.length - body.next} bytes after the body (one message per transport message)`,
    );
  }
  const h = decodeHeader(head.value);
  const header: CodecHeader = { id: h.seq.toString() };
  if (h.serviceMethod) {
    header.method = h.serviceMethod;
    header.endpoint = h.serviceMethod;
  }
  if (kind !== MessageKind.Request && h.error) header.error = h.error;
  return { header, body: body.value };
}
