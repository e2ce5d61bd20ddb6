import { registerPlugin } from "@micro/core";
import { protoCodec } from "./proto-codec.js";

export { type LoadOptions, loadProto, type ProtoTypes, parseProto } from "./load.js";
export { protoCodec, TO_APPLICATION } from "./proto-codec.js";

registerPlugin({
  kind: "codec",
  name: "proto",
  version: "0.1.0",
  description: "Protocol Buffers (application/protobuf), on protobufjs",
  create: () => protoCodec,
});
