import { registerPlugin } from "@micro/core";
import { bytesCodec } from "./bytes-codec.js";

export { bytesCodec } from "./bytes-codec.js";

registerPlugin({
  kind: "codec",
  name: "bytes",
  version: "0.1.0",
  description: "raw bytes (application/octet-stream)",
  create: () => bytesCodec,
});
