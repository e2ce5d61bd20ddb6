// Map entries decode as Go's protobuf (google.golang.org/protobuf v1.36) decodes them: each
// expectation below is what Go's proto.Unmarshal + protojson print for the same bytes.
import { isMicroError } from "@micro/core";
import { describe, expect, it } from "vitest";
import { parseProto, protoCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package d;
  message V { string s = 1; int32 n = 2; }
  message M {
    map<string, V> mv = 1;
    map<string, bytes> mb = 2;
    map<int64, string> ml = 3;
    map<uint64, V> mu = 4;
  }
  message Outer { repeated M items = 1; M one = 2; map<string, M> by = 3; }
  message Tree { map<string, Tree> kids = 1; string name = 2; }
`);
const M = proto.type("d.M");
const Outer = proto.type("d.Outer");
const Tree = proto.type("d.Tree");
const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, "hex"));
const EMPTY = { mv: {}, mb: {}, ml: {}, mu: {} };

describe("map entries as Go decodes them", () => {
  // issue 18: these threw a raw TypeError ("Cannot read properties of null (reading 's')")
  it("an entry with no value holds an empty message (0a00, 0a030a0161)", () => {
    expect(protoCodec.unmarshal(bytes("0a00"), M)).toEqual({ ...EMPTY, mv: { "": { s: "", n: 0 } } });
    expect(protoCodec.unmarshal(bytes("0a030a0161"), M)).toEqual({ ...EMPTY, mv: { a: { s: "", n: 0 } } });
  });

  it("an entry with no key has the zero key (0a0512030a0162)", () => {
    expect(protoCodec.unmarshal(bytes("0a0512030a0162"), M)).toEqual({
      ...EMPTY,
      mv: { "": { s: "b", n: 0 } },
    });
  });

  it("a bytes entry with no value holds empty bytes, not an Array (12030a0161)", () => {
    const got = protoCodec.unmarshal(bytes("12030a0161"), M) as { mb: Record<string, unknown> };
    expect(got.mb.a).toBeInstanceOf(Uint8Array);
    expect((got.mb.a as Uint8Array).length).toBe(0);
  });

  it("64-bit keys are decimal strings, not protobufjs' internal hash (1a020805, 1a0b08fe…01, 220b08ff…01)", () => {
    expect(protoCodec.unmarshal(bytes("1a020805"), M)).toEqual({ ...EMPTY, ml: { "5": "" } });
    expect(protoCodec.unmarshal(bytes("1a0b08feffffffffffffffff01"), M)).toEqual({
      ...EMPTY,
      ml: { "-2": "" },
    });
    expect(protoCodec.unmarshal(bytes("220b08ffffffffffffffffff01"), M)).toEqual({
      ...EMPTY,
      mu: { "18446744073709551615": { s: "", n: 0 } },
    });
    // no key at all: the zero key
    expect(protoCodec.unmarshal(bytes("1a00"), M)).toEqual({ ...EMPTY, ml: { "0": "" } });
    expect(protoCodec.unmarshal(bytes("2200"), M)).toEqual({ ...EMPTY, mu: { "0": { s: "", n: 0 } } });
  });

  it("64-bit keys round trip through marshal", () => {
    const value = {
      ...EMPTY,
      ml: { "5": "a", "-9223372036854775808": "min" },
      mu: { "18446744073709551615": { s: "x", n: 1 } },
    };
    expect(protoCodec.unmarshal(protoCodec.marshal(value, M), M)).toEqual(value);
  });

  it("fixes entries at any depth: repeated, single and map-valued messages, recursive types", () => {
    // Outer{items: [M{mv: {"": <no value>}}], one: M{mv: {"": <no value>}}, by: {"k": M{}, "z": <no value>}}
    const got = protoCodec.unmarshal(bytes("0a020a0012020a001a050a016b12001a030a017a"), Outer);
    expect(got).toEqual({
      items: [{ ...EMPTY, mv: { "": { s: "", n: 0 } } }],
      one: { ...EMPTY, mv: { "": { s: "", n: 0 } } },
      by: { k: EMPTY, z: EMPTY },
    });
    // Tree{kids: {"a": Tree{kids: {"b": <no value>}}}}
    expect(protoCodec.unmarshal(bytes("0a0a0a016112050a030a0162"), Tree)).toEqual({
      name: "",
      kids: { a: { name: "", kids: { b: { name: "", kids: {} } } } },
    });
  });

  it("a body that is not a message is still a 400 MicroError, never a raw TypeError", () => {
    for (const hex of ["0a", "0a05", "0a020a", "1a0208", "220b08ffffffffffffffffff"]) {
      let thrown: unknown;
      try {
        protoCodec.unmarshal(bytes(hex), M);
      } catch (err) {
        thrown = err;
      }
      expect(isMicroError(thrown), hex).toBe(true);
      expect((thrown as { code: number }).code).toBe(400);
    }
  });
});
