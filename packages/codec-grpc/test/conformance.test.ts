import { parseProto } from "@micro/codec-proto";
import { testCodec } from "@micro/testing/codec";
import { grpcCodec, grpcJsonCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package greeter;
  message Request { string name = 1; }
`);
const Request = proto.type("greeter.Request");
const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
const circular: Record<string, unknown> = {};
circular.self = circular;

const badFrames = [
  { label: "prefix truncated", bytes: hex("00000000") },
  { label: "length beyond the body", bytes: hex("00 00000006 0a04") },
  { label: "compressed flag", bytes: hex("01 00000006 0a044a6f686e") },
  { label: "invalid flag", bytes: hex("02 00000000") },
  { label: "over 4 MiB", bytes: hex("00 00400001") },
  { label: "two frames", bytes: hex("00 00000000 00 00000000") },
];

testCodec("grpc", {
  codec: grpcCodec,
  contentTypes: ["application/grpc", "application/grpc+proto"],
  samples: [
    // the gRPC frame of Request{name: "John"} (flag byte 0, 4-byte big-endian length, the proto bytes)
    { label: "Request John", value: { name: "John" }, type: Request, bytes: hex("00 00000006 0a044a6f686e") },
    { label: "empty message", value: {}, type: Request, decoded: { name: "" }, bytes: hex("00 00000000") },
    { label: "raw bytes without a type", value: hex("0a044a6f686e"), bytes: hex("00 00000006 0a044a6f686e") },
  ],
  invalidBodies: [
    ...badFrames,
    { label: "bad protobuf inside", bytes: hex("00 00000001 0f"), type: Request },
  ],
  invalidValues: [{ label: "object without a message type", value: { name: "John" } }],
  empty: [{ decoded: new Uint8Array(0) }, { type: Request, decoded: { name: "" } }],
});

testCodec("grpc+json", {
  codec: grpcJsonCodec,
  contentTypes: ["application/grpc+json"],
  samples: [
    // the inner message is what go-micro's json codec writes, newline included
    {
      label: "Request John",
      value: { name: "John" },
      bytes: hex("00 00000010 7b226e616d65223a224a6f686e227d0a"),
    },
    {
      label: "proto Request",
      value: { name: "John" },
      type: Request,
      bytes: hex("00 00000010 7b226e616d65223a224a6f686e227d0a"),
    },
  ],
  invalidBodies: [...badFrames, { label: "bad JSON inside", bytes: hex("00 00000001 7b") }],
  invalidValues: [{ label: "circular structure", value: circular }],
  empty: [{ decoded: {} }],
});
