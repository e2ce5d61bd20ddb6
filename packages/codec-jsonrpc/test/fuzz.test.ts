// Fuzzing (issue 18): any inner body decodes to a value or a 400 MicroError, and any envelope
// unwraps or is refused with one, quickly; what decodes re-encodes stably. MICRO_FUZZ_RUNS sets the
// budget.
import { sameJSONValue, testCodecFuzz } from "@micro/testing/fuzz";
import { jsonRpcCodec } from "../src/index.js";

testCodecFuzz("json-rpc", {
  codec: jsonRpcCodec,
  equal: sameJSONValue,
  samples: [
    { value: { name: "John" } },
    { value: { html: "<&>", list: [1, "two", null, -0, 1e21], nested: { "": [{}] } } },
    { value: { big: 18446744073709551615n, text: "ü ✓ 🌍 \u2028" } },
    { value: null },
    { value: "a string" },
  ],
  bodies: [
    // what a Go client and server write: the envelopes' own shapes are fuzzed by the suite
    { bytes: '{"params":[{"name":"John"}],"id":"1","method":"Greeter.Hello"}\n' },
    { bytes: '{"id":"1","result":{"msg":"Hello John"},"error":null}\n' },
  ],
});
