// Fuzzing (issue 18): any body, framed or not, decodes to a message or a 400 MicroError, quickly;
// what decodes re-encodes stably. MICRO_FUZZ_RUNS sets the budget.
import { parseProto } from "@micro/codec-proto";
import {
  FUZZ_PROTO,
  FUZZ_PROTO_SAMPLES,
  sameJSONValue,
  testCodecFuzz,
  testDecoderFuzz,
} from "@micro/testing/fuzz";
import { expect } from "vitest";
import { grpcCodec, grpcFrame, grpcJsonCodec, splitGrpcFrames } from "../src/index.js";

const proto = parseProto(FUZZ_PROTO);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const samples = FUZZ_PROTO_SAMPLES.map((s) => ({ value: s.value, type: proto.type(s.type) }));

testCodecFuzz("grpc", { codec: grpcCodec, samples });

testCodecFuzz("grpc+json", {
  codec: grpcJsonCodec,
  equal: sameJSONValue,
  samples: [...samples, { value: { name: "John", list: [1, 2.5, null], big: 9007199254740993n } }],
});

// a streamed body: any number of frames back to back
const frames = samples.map((s) => grpcCodec.marshal(s.value, s.type));
testDecoderFuzz("grpc frames of a stream", {
  decode: splitGrpcFrames,
  encode: (messages) => Buffer.concat(messages.map(grpcFrame)),
  // views of whatever was split: a Buffer the second time round, so compare the bytes
  equal: (again, first) => expect(again.map(hex)).toEqual(first.map(hex)),
  seeds: [Buffer.concat(frames), frames[0]!, new Uint8Array(0)],
});
