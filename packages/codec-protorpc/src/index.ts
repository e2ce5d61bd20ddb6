import { registerPlugin } from "@micro/core";
import { protoRpcCodec } from "./protorpc-codec.js";

export { unwrapEnvelope, wrapEnvelope } from "./envelope.js";
export { decodeHeader, type EnvelopeHeader, encodeHeader, seqOf } from "./envelope-header.js";
export { netstrings, readNetstring } from "./netstring.js";
export { protoRpcCodec } from "./protorpc-codec.js";

registerPlugin({
  kind: "codec",
  name: "proto-rpc",
  version: "0.1.0",
  description: "go-micro's legacy proto-rpc envelope (application/proto-rpc)",
  create: () => protoRpcCodec,
});
