// Fuzzing (issue 18): any body decodes to a value or a 400 MicroError, quickly, and what decodes
// re-encodes stably, with and without a message type. MICRO_FUZZ_RUNS sets the budget.
import { FUZZ_PROTO, FUZZ_PROTO_SAMPLES, sameJSONValue, testCodecFuzz } from "@micro/testing/fuzz";
import protobuf from "protobufjs";
import { jsonCodec } from "../src/index.js";

const root = protobuf.parse(FUZZ_PROTO).root;
root.resolveAll();

testCodecFuzz("json", {
  codec: jsonCodec,
  equal: sameJSONValue,
  samples: [
    ...FUZZ_PROTO_SAMPLES.map((s) => ({ value: s.value, type: root.lookupType(s.type) })),
    { value: { name: "John", html: "<a href='x'>&</a>", list: [1, 2.5, -3, 1e21], ok: true, none: null } },
    { value: { big: 9007199254740993n, neg: -9223372036854775808n, nested: [[{ "": "ü ✓ 🌍" }]] } },
    { value: "just a string" },
    { value: [] },
  ],
  bodies: [
    // what a Go peer writes: escapes of every kind, numbers Go keeps exact
    { bytes: '{"a":"\\u003c\\u0026\\ud83c\\udf0d\\n","b":-0,"c":1.0e+2,"d":18446744073709551615}\n' },
    { bytes: ' \r\n\t[true,false,null,{"x":[]}] ' },
  ],
});
