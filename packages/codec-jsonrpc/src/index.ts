import { registerPlugin } from "@micro/core";
import { jsonRpcCodec } from "./jsonrpc-codec.js";

export { unwrapEnvelope, wrapEnvelope } from "./envelope.js";
export { jsonRpcCodec } from "./jsonrpc-codec.js";

registerPlugin({
  kind: "codec",
  name: "json-rpc",
  version: "0.1.0",
  description: "go-micro's legacy json-rpc envelope (application/json-rpc)",
  create: () => jsonRpcCodec,
});
