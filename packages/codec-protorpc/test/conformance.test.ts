import { parseProto } from "@micro/codec-proto";
import { testCodec } from "@micro/testing/codec";
import { protoRpcCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package greeter;
  message Request { string name = 1; }
  message Response { string msg = 1; }
`);
const Request = proto.type("greeter.Request");
const Response = proto.type("greeter.Response");
const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

// marshal/unmarshal are the inner body: plain protobuf, as go-micro's protorpc codec writes it
testCodec("proto-rpc", {
  codec: protoRpcCodec,
  contentTypes: ["application/proto-rpc"],
  samples: [
    { label: "Request John", value: { name: "John" }, type: Request, bytes: hex("0a044a6f686e") },
    {
      label: "Response",
      value: { msg: "Hello John" },
      type: Response,
      bytes: hex("0a0a48656c6c6f204a6f686e"),
    },
    { label: "raw bytes without a type", value: hex("0a044a6f686e"), bytes: hex("0a044a6f686e") },
  ],
  invalidBodies: [{ label: "truncated field", bytes: hex("0a054a6f"), type: Request }],
  invalidValues: [{ label: "object without a message type", value: { name: "John" } }],
  empty: [{ decoded: new Uint8Array(0) }, { type: Request, decoded: { name: "" } }],
});
