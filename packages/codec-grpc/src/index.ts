import { registerPlugin } from "@micro/core";
import { grpcCodec, grpcJsonCodec } from "./grpc-codec.js";

export { grpcFrame, MAX_MESSAGE_SIZE, readGrpcFrame, splitGrpcFrames } from "./frames.js";
export { grpcCodec, grpcJsonCodec } from "./grpc-codec.js";

registerPlugin({
  kind: "codec",
  name: "grpc",
  from: import.meta.url,
  contentTypes: ["application/grpc", "application/grpc+proto"],
  description: "gRPC length-prefixed protobuf messages (application/grpc, application/grpc+proto)",
  create: () => grpcCodec,
});

registerPlugin({
  kind: "codec",
  name: "grpc+json",
  from: import.meta.url,
  contentTypes: ["application/grpc+json"],
  description: "gRPC length-prefixed JSON messages (application/grpc+json)",
  create: () => grpcJsonCodec,
});
