import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Frame } from "@micro/core";
import { describe, expect, it } from "vitest";
import { loadProto, parseProto, protoCodec } from "../src/index.js";

const SOURCE = `
  syntax = "proto3";
  package demo;
  message Item { string item_id = 1; uint64 count = 2; }
`;

describe("proto codec", () => {
  it("encodes a message instance as well as a plain object", () => {
    const Item = parseProto(SOURCE).type("demo.Item");
    const created = (Item as unknown as { create(v: object): object }).create({ itemId: "a", count: 3 });
    expect(Buffer.from(protoCodec.marshal(created, Item)).toString("hex")).toBe("0a01611003");
    expect(Buffer.from(protoCodec.marshal({ itemId: "a", count: 3 }, Item)).toString("hex")).toBe(
      "0a01611003",
    );
  });

  it("hands application code plain objects: zero values filled, 64-bit as exact strings", () => {
    const Item = parseProto(SOURCE).type("demo.Item");
    const body = protoCodec.marshal({ itemId: "a", count: "18446744073709551615" }, Item);
    const got = protoCodec.unmarshal<Record<string, unknown>>(body, Item);
    expect(got).toEqual({ itemId: "a", count: "18446744073709551615" });
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
    expect(protoCodec.unmarshal(new Uint8Array(0), Item)).toEqual({ itemId: "", count: "0" });
  });

  it("keeps .proto field names with keepCase", () => {
    const Item = parseProto(SOURCE, { keepCase: true }).type("demo.Item");
    expect(protoCodec.unmarshal(protoCodec.marshal({ item_id: "z" }, Item), Item)).toEqual({
      item_id: "z",
      count: "0",
    });
  });

  it("returns the raw body when no type is given, and passes Frames and bytes through", () => {
    const raw = Uint8Array.from([1, 2, 3]);
    expect(protoCodec.unmarshal(raw)).toBe(raw);
    expect(protoCodec.marshal(raw)).toBe(raw);
    expect(protoCodec.marshal(new Frame(raw))).toBe(raw);
    // an empty message is zero bytes whatever its type, so it needs none (stream opening frames)
    expect(protoCodec.marshal({})).toEqual(new Uint8Array(0));
  });

  it("says what is missing when asked to encode an object without a type", () => {
    expect(() => protoCodec.marshal({ name: "x" })).toThrow(
      /protobuf codec needs a message type for Object values/,
    );
  });

  it("loads .proto files with imports", async () => {
    const dir = await mkdtemp(join(tmpdir(), "micro-proto-"));
    await writeFile(
      join(dir, "common.proto"),
      'syntax = "proto3"; package demo; message Money { int64 cents = 1; }',
    );
    await writeFile(
      join(dir, "shop.proto"),
      'syntax = "proto3"; package demo; import "common.proto"; message Order { string id = 1; Money total = 2; }',
    );
    const proto = await loadProto(join(dir, "shop.proto"));
    const Order = proto.type("demo.Order");
    const body = protoCodec.marshal({ id: "o1", total: { cents: 250 } }, Order);
    expect(protoCodec.unmarshal(body, Order)).toEqual({ id: "o1", total: { cents: "250" } });
    expect(() => proto.type("demo.Missing")).toThrow(/Missing/);
  });
});
