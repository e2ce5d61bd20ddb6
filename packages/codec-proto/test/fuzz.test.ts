// Fuzzing (issue 18): any body decodes to a message or a 400 MicroError, quickly, and what decodes
// re-encodes stably. MICRO_FUZZ_RUNS sets the budget (see @micro/testing's README).
import { FUZZ_PROTO, FUZZ_PROTO_SAMPLES, testCodecFuzz } from "@micro/testing/fuzz";
import { parseProto, protoCodec } from "../src/index.js";

const proto = parseProto(FUZZ_PROTO);

testCodecFuzz("proto", {
  codec: protoCodec,
  samples: FUZZ_PROTO_SAMPLES.map((s) => ({ value: s.value, type: proto.type(s.type) })),
});
