// Fuzzing core's wire decoders (issue 18), which every broker and JSON registry feeds with a peer's
// bytes: go-micro's broker envelope (decodeEnvelopeBytes, re-exported by @micro/broker-http) throws
// only EnvelopeError, its fast path agrees with JSON.parse on every input, and what decodes
// re-encodes stably; a registry record (parseService) throws only its documented TypeError (or
// JSON's SyntaxError) and re-encodes stably. Also the fuzz kit's own test. MICRO_FUZZ_RUNS sets the
// budget.
import type { BrokerMessage, Service } from "@micro/core";
import {
  decodeEnvelope,
  decodeEnvelopeBytes,
  EnvelopeError,
  encodeEnvelopeBytes,
  encodeService,
  parseEnvelope,
  parseService,
} from "@micro/core/plugin-kit";
import { describe, expect } from "vitest";
import { fc, fuzzIt, isEngineError, mutated, testDecoderFuzz } from "../src/fuzz.js";
import { GO_GREETER_JSON } from "../src/vectors.js";

const utf8 = new TextEncoder();
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const ENVELOPES = (
  [
    {
      header: { "Content-Type": "application/json", "Micro-Topic": "user.created", "Micro-ID": "1" },
      body: utf8.encode('{"id":1}\n'),
    },
    { header: {}, body: new Uint8Array(0) },
    { header: { "<&>": "é ✓ 🌍", "": "" }, body: Uint8Array.from([0, 0xff, 0xfe]) },
  ] as BrokerMessage[]
).map(encodeEnvelopeBytes);
// what Go writes besides: a null header and body, another key case, escapes, whitespace
const GO_ENVELOPES = [
  '{"Header":null,"Body":null}',
  '{"header":{"a":"\\u003cb\\u003e"},"body":"AAE="}',
  ' {"Header" : {"k":"v"} , "Body":"aGk=\\n"} ',
].map((s) => utf8.encode(s));

testDecoderFuzz("broker envelope", {
  accepts: (err) => err instanceof EnvelopeError,
  decode: decodeEnvelopeBytes,
  encode: encodeEnvelopeBytes,
  equal: (again, first) => {
    expect(again.header).toEqual(first.header);
    expect(hex(again.body)).toBe(hex(first.body));
  },
  seeds: [...ENVELOPES, ...GO_ENVELOPES],
});

// Go's shape with raw text where the strings go, unescaped: what the fast path's patterns must judge
// exactly as JSON.parse does (control characters, quotes, backslashes, surrogates, base64 of any
// alphabet or length)
const oddText = fc.constantFrom('"', "\\", "\u0001", "\ud800", "é", "\\u0041", "\\n");
const raw = fc.string({ unit: fc.oneof(oddText, fc.string({ minLength: 1, maxLength: 1 })), maxLength: 8 });
const base64ish = fc.string({ unit: fc.constantFrom(..."AQIDaGk+/=-_\n\r "), maxLength: 12 });
const shapedLikeGo = fc
  .tuple(
    fc.oneof(fc.constant(null), fc.array(fc.tuple(raw, raw), { maxLength: 3 })),
    fc.oneof(fc.constant(null), base64ish),
  )
  .map(([entries, body]) => {
    const header = entries === null ? "null" : `{${entries.map(([k, v]) => `"${k}":"${v}"`).join(",")}}`;
    return utf8.encode(`{"Header":${header},"Body":${body === null ? "null" : `"${body}"`}}`);
  });

describe("fuzz: broker envelope, both decoders", () => {
  const outcome = (decode: () => { header: Record<string, string>; body: Uint8Array | undefined }) => {
    try {
      const m = decode();
      return { header: m.header, body: hex(m.body ?? new Uint8Array(0)) };
    } catch (err) {
      if (err instanceof EnvelopeError) return "refused";
      throw err;
    }
  };
  fuzzIt(
    "the fast path accepts and refuses exactly what JSON.parse does, with the same result",
    fc.oneof(
      mutated([...ENVELOPES, ...GO_ENVELOPES]),
      fc.string().map((s) => utf8.encode(s)),
      shapedLikeGo,
    ),
    (bytes, probe) => {
      const text = Buffer.from(bytes).toString("utf8");
      const fast = probe.run(text, (t) => outcome(() => decodeEnvelope(t)));
      const slow = probe.run(text, (t) => outcome(() => parseEnvelope(t)));
      expect(fast).toEqual(slow);
    },
    { accepts: (err) => err instanceof EnvelopeError },
  );
});

// parseService documents TypeError for a malformed record; JSON.parse adds SyntaxError
const documented = (err: unknown) =>
  (err instanceof TypeError || err instanceof SyntaxError) && !isEngineError(err);
const RECORDS = [
  GO_GREETER_JSON,
  '{"name":"a","version":"","metadata":{"k":"v"},"endpoints":null,"nodes":null}',
  '{"NAME":"b","Nodes":[{"Id":"1","Address":"h:1","Metadata":null}],"endpoints":[{"name":"E","request":{"name":"R","type":"R","values":[{"name":"x","type":"int","values":[{"name":"y","type":"z"}]}]}}]}',
].map((s) => utf8.encode(s));

testDecoderFuzz("registry record", {
  accepts: documented,
  decode: (bytes) => parseService(Buffer.from(bytes).toString("utf8")),
  encode: (s: Service) => utf8.encode(encodeService(s)),
  seeds: RECORDS,
});
