import { testCodec } from "@micro/testing/codec";
import { bsonCodec } from "../src/index.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
const circular: Record<string, unknown> = {};
circular.self = circular;

testCodec("bson", {
  codec: bsonCodec,
  contentTypes: ["application/bson"],
  samples: [
    // what Go's bson.Marshal(bson.M{"name": "John"}) writes: size, string element, terminator
    {
      label: "Request John",
      value: { name: "John" },
      bytes: hex("14000000 02 6e616d6500 05000000 4a6f686e00 00"),
    },
    // int32 for small integers, int64 for bigints, double otherwise
    { label: "int32", value: { n: 5 }, bytes: hex("0c000000 10 6e00 05000000 00") },
    { label: "int64", value: { n: 2n ** 40n }, bytes: hex("10000000 12 6e00 0000000000010000 00") },
    { label: "double", value: { x: 1.5 }, bytes: hex("10000000 01 7800 000000000000f83f 00") },
    {
      label: "binary",
      value: { b: Uint8Array.from([1, 2]) },
      decoded: { b: Buffer.from([1, 2]) },
      bytes: hex("0f000000 05 6200 02000000 00 0102 00"),
    },
    { label: "nested", value: { a: { list: [1, "x", null, true] }, at: new Date(0) } },
    { label: "empty document", value: {}, bytes: hex("05000000 00") },
  ],
  invalidBodies: [
    { label: "trailing bytes", bytes: hex("05000000 00 ff") },
    { label: "truncated", bytes: hex("05000000") },
    { label: "size beyond the body", bytes: hex("14000000 02 6e616d65 00") },
    { label: "not BSON", bytes: '{"name":"John"}' },
  ],
  invalidValues: [
    { label: "top-level array", value: [1, 2] },
    { label: "top-level string", value: "John" },
    { label: "top-level null", value: null },
    { label: "circular structure", value: circular },
    { label: "bigint beyond int64", value: { n: 2n ** 70n } },
  ],
  empty: [{ decoded: {} }],
});
