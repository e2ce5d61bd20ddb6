// @micro/testing/fuzz: property tests (fast-check) for everything that reads bytes from a peer.
// Every decoder must return a value or throw the error it documents (a MicroError for codecs),
// handle each input in under SLOW_MS, and, given an encoder, re-encode what it decoded stably.
// One shared suite, like the codec conformance suite: a package's fuzz test is a few lines.
//
//   MICRO_FUZZ_RUNS=200000  inputs per property (default SHORT_RUNS, CI's budget)
//   MICRO_FUZZ_SEED=n       replay the run fast-check reported as failing
//   MICRO_FUZZ_REPORT=file  append each property's figures (JSON lines) to `file`
import fc from "fast-check";

export { type FuzzFigures, fuzzRuns, fuzzSeed, SHORT_RUNS, SLOW_MS } from "./fuzz-budget.js";
export { type CodecFuzzOptions, type CodecFuzzSample, sameJSONValue, testCodecFuzz } from "./fuzz-codec.js";
export { anyBytes, cuts, type Mutation, mutate, mutated, split } from "./fuzz-inputs.js";
export { type Accepts, isEngineError, type Outcome, Probe, showInput } from "./fuzz-probe.js";
export { FUZZ_PROTO, FUZZ_PROTO_SAMPLES } from "./fuzz-proto.js";
export {
  type DecoderFuzzOptions,
  decodesOrMicroError,
  type FuzzOptions,
  fuzzIt,
  testDecoderFuzz,
} from "./fuzz-suite.js";
// one copy of fast-check for the suites and the tests that build their own inputs
export { fc };
