import { registerPlugin } from "@micro/core";
import { jsonRpcCodec } from "./jsonrpc-codec.js";

export { unwrapEnvelope, wrapEnvelope } from "./envelope.js";
export { jsonRpcCodec } from "./jsonrpc-codec.js";

registerPlugin({
  kind: "codec",
  name: "json-rpc",
  from: import.meta.url,
  contentTypes: ["application/json-rpc"],
  legacyFor: ["application/json"],
  description: "go-micro's legacy json-rpc envelope (application/json-rpc)",
  create: () => jsonRpcCodec,
});
