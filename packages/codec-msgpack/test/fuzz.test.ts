// Fuzzing (issue 18): any body decodes to a value or a 400 MicroError, quickly; what decodes
// re-encodes stably. MICRO_FUZZ_RUNS sets the budget.
import { testCodecFuzz } from "@micro/testing/fuzz";
import { expect } from "vitest";
import { msgpackCodec } from "../src/index.js";

// msgpackr writes a negative zero as the integer 0 (a known loss, see the README)
function positiveZeros(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(positiveZeros);
  if (v && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, positiveZeros(x)]));
  }
  return v;
}

testCodecFuzz("msgpack", {
  codec: msgpackCodec,
  equal: (again, first) => expect(again).toEqual(positiveZeros(first)),
  samples: [
    { value: { name: "John" } },
    { value: [1, -1, 300, -70000, 2 ** 40, true, false, null, "x", 1.5, -0] },
    { value: { big: 2n ** 60n, max: 2n ** 64n - 1n, min: -(2n ** 63n) } },
    { value: { bin: Uint8Array.from([1, 2]), at: new Date(0), nested: { a: { b: [null, "é", {}] } } } },
    { value: "x".repeat(40) },
  ],
});
