// Fuzzing (issue 18): the bytes codec takes any body as it is; the suite holds it to that, and to
// handing back exactly what it was given.
import { testCodecFuzz } from "@micro/testing/fuzz";
import { bytesCodec } from "../src/index.js";

testCodecFuzz("bytes", {
  codec: bytesCodec,
  samples: [{ value: Uint8Array.from([0, 1, 0xfe, 0xff]) }, { value: "text" }, { value: new Uint8Array(0) }],
});
