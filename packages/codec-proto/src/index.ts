import { registerPlugin } from "@micro/core";
import { protoCodec } from "./proto-codec.js";

export { type LoadOptions, loadProto, type ProtoTypes, parseProto } from "./load.js";
export { protoCodec, TO_APPLICATION } from "./proto-codec.js";

registerPlugin({
  kind: "codec",
  name: "proto",
  from: import.meta.url,
  contentTypes: ["application/protobuf"],
  fallback: true,
  description: "Protocol Buffers (application/protobuf), on protobufjs",
  create: () => protoCodec,
});
