import { registerPlugin } from "@micro/core";
import { protoRpcCodec } from "./protorpc-codec.js";

export { unwrapEnvelope, wrapEnvelope } from "./envelope.js";
export { decodeHeader, type EnvelopeHeader, encodeHeader, seqOf } from "./envelope-header.js";
export { netstrings, readNetstring } from "./netstring.js";
export { protoRpcCodec } from "./protorpc-codec.js";

registerPlugin({
  kind: "codec",
  name: "proto-rpc",
  from: import.meta.url,
  contentTypes: ["application/proto-rpc"],
  legacyFor: ["application/protobuf", "application/octet-stream"],
  description: "go-micro's legacy proto-rpc envelope (application/proto-rpc)",
  create: () => protoRpcCodec,
});
