import { registerPlugin } from "@micro/core";
import { jsonCodec } from "./json-codec.js";

export { encodeGoJSON, parseJSON } from "./go-json.js";
export { jsonCodec } from "./json-codec.js";

registerPlugin({
  kind: "codec",
  name: "json",
  from: import.meta.url,
  contentTypes: ["application/json"],
  default: true,
  description: "JSON (application/json), byte-compatible with go-micro's json codec",
  create: () => jsonCodec,
});
