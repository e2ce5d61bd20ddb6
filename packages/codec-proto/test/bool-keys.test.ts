// map<bool, V> keys leave as Go reads them: protobufjs wrote the key "false" (a truthy string) as
// true. Each expectation was checked with Go's proto.Unmarshal (google.golang.org/protobuf v1.36):
// 2a0408001001 2a0408011002 is {false: 1, true: 2}, what we sent before was {true: 2}.
import { describe, expect, it } from "vitest";
import { parseProto, protoCodec } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  package d;
  message M { map<bool, int32> mbool = 5; string s = 6; }
  message Outer { M one = 1; repeated M many = 2; map<string, M> by = 3; }
`);
const M = proto.type("d.M");
const Outer = proto.type("d.Outer");
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("bool map keys", () => {
  it("writes false as false (2a0408001001), true as true (2a0408011002)", () => {
    expect(hex(protoCodec.marshal({ mbool: { false: 1, true: 2 } }, M))).toBe("2a04080010012a0408011002");
    expect(hex(protoCodec.marshal({ mbool: { false: 7 } }, M))).toBe("2a0408001007");
  });

  it("round trips both keys, at any depth", () => {
    const m = { mbool: { false: 1, true: 2 }, s: "x" };
    expect(protoCodec.unmarshal(protoCodec.marshal(m, M), M)).toEqual(m);
    const outer = { one: m, many: [m, { mbool: { false: 3 }, s: "" }], by: { k: m } };
    expect(protoCodec.unmarshal(protoCodec.marshal(outer, Outer), Outer)).toEqual(outer);
  });

  it("leaves the caller's value and message instances untouched", () => {
    const value = { one: { mbool: { false: 1 } } };
    protoCodec.marshal(value, Outer);
    expect(value).toEqual({ one: { mbool: { false: 1 } } });
    const instance = (M as unknown as { fromObject(o: object): Record<string, unknown> }).fromObject({
      mbool: { false: 4 },
    });
    expect(hex(protoCodec.marshal(instance, M))).toBe("2a0408001004");
    expect(instance.mbool).toEqual({ false: 4 });
  });
});
