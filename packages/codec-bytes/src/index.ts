import { registerPlugin } from "@micro/core";
import { bytesCodec } from "./bytes-codec.js";

export { bytesCodec } from "./bytes-codec.js";

registerPlugin({
  kind: "codec",
  name: "bytes",
  from: import.meta.url,
  contentTypes: ["application/octet-stream"],
  description: "raw bytes (application/octet-stream)",
  create: () => bytesCodec,
});
