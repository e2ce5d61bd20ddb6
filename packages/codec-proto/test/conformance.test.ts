import { testCodec } from "@micro/testing/codec";
import { parseProto, protoCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package greeter;
  message Request { string name = 1; }
  message Response { string msg = 1; }
  enum Kind { KIND_UNSPECIFIED = 0; KIND_USER = 1; }
  message Address { string street_name = 1; }
  message Account {
    string user_id = 1;
    int64 balance_cents = 2;
    Kind kind = 3;
    repeated Address addresses = 4;
    bytes avatar = 5;
  }
`);
const Request = proto.type("greeter.Request");
const Response = proto.type("greeter.Response");
const Account = proto.type("greeter.Account");
const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
// Long enough for the native UTF-8 path, with 2-, 3- and 4-byte characters.
const long = "héllo wörld — 你好 🌍 ".repeat(8);
const longBytes = Buffer.from(long);
// field 1, length-delimited, with a two-byte varint length
const longField = (length: number) => Buffer.from([0x0a, (length & 0x7f) | 0x80, length >> 7]);

testCodec("proto", {
  codec: protoCodec,
  contentTypes: ["application/protobuf"],
  samples: [
    // Request{string name = 1} with name "John": the body go-micro's proto codec sends, no trailing newline
    { label: "Request John", value: { name: "John" }, type: Request, bytes: hex("0a044a6f686e") },
    {
      label: "Response",
      value: { msg: "Hello John" },
      type: Response,
      bytes: hex("0a0a48656c6c6f204a6f686e"),
    },
    {
      label: "Account",
      type: Account,
      value: {
        userId: "u",
        balanceCents: "-1",
        kind: "KIND_USER",
        addresses: [{ streetName: "x" }],
        avatar: Buffer.from([7]),
      },
      decoded: {
        userId: "u",
        balanceCents: "-1",
        kind: "KIND_USER",
        addresses: [{ streetName: "x" }],
        avatar: Uint8Array.from([7]),
      },
      // user_id "u"; balance_cents -1 as a 10-byte varint; kind 1; one address; avatar 07
      bytes: hex("0a017510ffffffffffffffffff0118012203 0a0178 2a0107".replace(/ /g, "")),
    },
    {
      label: "Request with a long multi-byte name",
      value: { name: long },
      type: Request,
      bytes: Uint8Array.from(Buffer.concat([longField(longBytes.length), longBytes])),
    },
    { label: "raw bytes without a type", value: hex("0a044a6f686e"), bytes: hex("0a044a6f686e") },
  ],
  invalidBodies: [
    { label: "truncated length-delimited field", bytes: hex("0a054a6f"), type: Request },
    {
      // the length says one byte more than the body has: Go's unexpected EOF, not a shorter name
      label: "truncated long string",
      bytes: Uint8Array.from(Buffer.concat([longField(longBytes.length + 1), longBytes])),
      type: Request,
    },
    { label: "invalid wire type", bytes: hex("0f"), type: Request },
  ],
  invalidValues: [
    { label: "object without a message type", value: { name: "John" } },
    { label: "string without a message type", value: "John" },
    { label: "number for a nested message", value: { addresses: [5] }, type: Account },
  ],
  empty: [{ decoded: new Uint8Array(0) }, { type: Request, decoded: { name: "" } }],
});
