// issue 18: a map entry with no value is valid protobuf (Go decodes an empty message); in a gRPC
// frame it threw a raw TypeError ("Cannot read properties of null") out of the codec.
import { parseProto } from "@micro/codec-proto";
import { describe, expect, it } from "vitest";
import { grpcCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package d;
  message V { string s = 1; }
  message M { map<string, V> mv = 1; }
`);
const M = proto.type("d.M");
const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));

describe("grpc codec, map entries", () => {
  it("decodes an entry with no value to an empty message (00 00000005 0a030a0161)", () => {
    expect(grpcCodec.unmarshal(hex("00 00000005 0a030a0161"), M)).toEqual({ mv: { a: { s: "" } } });
    expect(grpcCodec.unmarshal(hex("00 00000002 0a00"), M)).toEqual({ mv: { "": { s: "" } } });
  });

  it("still refuses a broken entry with a 400 MicroError", () => {
    expect(() => grpcCodec.unmarshal(hex("00 00000003 0a030a"), M)).toThrow(
      expect.objectContaining({ code: 400, id: "go.micro.codec" }),
    );
  });
});
