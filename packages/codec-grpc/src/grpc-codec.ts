// go-micro's grpc codec: each body is one gRPC frame around a protobuf (application/grpc,
// application/grpc+proto) or JSON (application/grpc+json) message. A codec object cannot see the
// Content-Type it serves, so the JSON variant is its own codec, registered as "grpc+json".

import { jsonCodec } from "@micro/codec-json";
import { protoCodec } from "@micro/codec-proto";
import { type Codec, Frame } from "@micro/core";
import { grpcFrame, readGrpcFrame } from "./frames.js";

function framed(name: string, inner: Codec): Codec {
  return {
    name,
    marshal(value, type) {
      // a Frame is a whole body, already framed by whoever made it
      if (value instanceof Frame) return value.data;
      return grpcFrame(inner.marshal(value, type));
    },
    unmarshal(data, type) {
      // no frame at all is the empty message, as an empty body is for the inner codec
      if (data.length === 0) return inner.unmarshal(data, type);
      return inner.unmarshal(readGrpcFrame(data), type);
    },
  };
}

export const grpcCodec: Codec = framed("grpc", protoCodec);

export const grpcJsonCodec: Codec = framed("grpc+json", jsonCodec);
