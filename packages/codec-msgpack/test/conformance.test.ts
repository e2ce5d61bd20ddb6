import { testCodec } from "@micro/testing/codec";
import { msgpackCodec } from "../src/index.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
const circular: Record<string, unknown> = {};
circular.self = circular;

testCodec("msgpack", {
  codec: msgpackCodec,
  contentTypes: ["application/msgpack", "application/x-msgpack"],
  samples: [
    // fixmap{ "name": "John" }, what vmihailenco/msgpack writes for map[string]string
    { label: "Request John", value: { name: "John" }, bytes: hex("81 a4 6e616d65 a4 4a6f686e") },
    { label: "nil", value: null, bytes: hex("c0") },
    { label: "array", value: [1, -1, 300, true, "x"], bytes: hex("95 01 ff cd012c c3 a178") },
    { label: "int64 beyond 2^53", value: 2n ** 60n, bytes: hex("d3 1000000000000000") },
    { label: "uint64 max", value: 2n ** 64n - 1n, bytes: hex("cf ffffffffffffffff") },
    { label: "float", value: 1.5, bytes: hex("cb 3ff8000000000000") },
    { label: "bin", value: Uint8Array.from([1, 2]), decoded: Buffer.from([1, 2]), bytes: hex("c4 02 0102") },
    { label: "nested", value: { a: { b: [null, "é"] }, n: 0 } },
  ],
  invalidBodies: [
    { label: "truncated map", bytes: hex("81 a4 6e616d65") },
    { label: "reserved 0xc1", bytes: hex("c1") },
    { label: "trailing bytes", bytes: hex("01 02") },
    { label: "truncated str", bytes: hex("a5 4a6f") },
  ],
  invalidValues: [
    { label: "circular structure", value: circular },
    { label: "symbol", value: Symbol("x") },
    { label: "function", value: { f: () => 1 } },
    { label: "integer beyond 64 bits", value: 2n ** 70n },
  ],
  empty: [{ decoded: {} }],
});
