// issue 18: a map entry with no value is valid protobuf (Go decodes an empty message); inside a
// proto-rpc request it threw a raw TypeError ("Cannot read properties of null") out of the codec.
import { parseProto } from "@micro/codec-proto";
import { MessageKind } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { protoRpcCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package d;
  message V { string s = 1; }
  message M { map<string, V> mv = 1; }
`);
const M = proto.type("d.M");
const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));

describe("proto-rpc codec, map entries", () => {
  it("decodes an entry with no value to an empty message, inside the envelope as Go sends it", () => {
    // netstring(Request{service_method: "Greeter.Hello", seq: 7}) + netstring(M{mv: {"a": <no value>}})
    const request = hex("00000018 0a0d477265657465722e48656c6c6f 110700000000000000 00000005 0a030a0161");
    const { header, body } = protoRpcCodec.envelope.unwrap(MessageKind.Request, request);
    expect(header).toEqual({ id: "7", method: "Greeter.Hello", endpoint: "Greeter.Hello" });
    expect(protoRpcCodec.unmarshal(body, M)).toEqual({ mv: { a: { s: "" } } });
    expect(protoRpcCodec.unmarshal(hex("0a00"), M)).toEqual({ mv: { "": { s: "" } } });
  });

  it("still refuses a broken entry with a 400 MicroError", () => {
    expect(() => protoRpcCodec.unmarshal(hex("0a030a"), M)).toThrow(
      expect.objectContaining({ code: 400, id: "go.micro.codec" }),
    );
  });
});
