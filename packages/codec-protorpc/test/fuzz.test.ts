// Fuzzing (issue 18): any inner body decodes to a message or a 400 MicroError, and any envelope
// (netstrings around the protorpc header) unwraps or is refused with one, quickly; what decodes
// re-encodes stably. MICRO_FUZZ_RUNS sets the budget.
import { parseProto } from "@micro/codec-proto";
import { FUZZ_PROTO, FUZZ_PROTO_SAMPLES, testCodecFuzz } from "@micro/testing/fuzz";
import { protoRpcCodec } from "../src/index.js";

const proto = parseProto(FUZZ_PROTO);

testCodecFuzz("proto-rpc", {
  codec: protoRpcCodec,
  samples: FUZZ_PROTO_SAMPLES.map((s) => ({ value: s.value, type: proto.type(s.type) })),
});
