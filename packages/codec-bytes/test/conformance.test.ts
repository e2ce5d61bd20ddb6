import { testCodec } from "@micro/testing/codec";
import { bytesCodec } from "../src/index.js";

testCodec("bytes", {
  codec: bytesCodec,
  contentTypes: ["application/octet-stream"],
  samples: [
    {
      label: "binary",
      value: Uint8Array.from([0, 1, 0xfe, 0xff]),
      bytes: Uint8Array.from([0, 1, 0xfe, 0xff]),
    },
    // what `micro call` sends: JSON text it never parsed
    { label: "JSON text", value: new TextEncoder().encode('{"name":"John"}'), bytes: '{"name":"John"}' },
    { label: "empty", value: new Uint8Array(0), bytes: new Uint8Array(0) },
    { label: "string as UTF-8", value: "héllo", bytes: "héllo", decoded: new TextEncoder().encode("héllo") },
  ],
  // any byte sequence is a valid body, so there is no bad body to reject
  invalidValues: [
    { label: "object", value: { name: "John" } },
    { label: "number", value: 42 },
    { label: "null", value: null },
  ],
  empty: [{ decoded: new Uint8Array(0) }],
});
