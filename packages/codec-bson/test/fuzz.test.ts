// Fuzzing (issue 18): any body decodes to a document or a 400 MicroError, quickly; what decodes
// re-encodes stably. MICRO_FUZZ_RUNS sets the budget.
import { testCodecFuzz } from "@micro/testing/fuzz";
import { bsonCodec } from "../src/index.js";

testCodecFuzz("bson", {
  codec: bsonCodec,
  samples: [
    { value: { name: "John" } },
    { value: { n: 5, big: 2n ** 40n, neg: -(2n ** 63n), x: 1.5, nz: -0, t: true, none: null } },
    { value: { b: Uint8Array.from([1, 2]), at: new Date(0), a: { list: [1, "x", null, [{}]] } } },
    { value: { "": "", "ü ✓ 🌍": "key of every width", $dollar: "and.dots" } },
    { value: {} },
  ],
});
