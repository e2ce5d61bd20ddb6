import { expect, it } from "vitest";
import { decodeEnvelope, EnvelopeError, encodeEnvelope, fromRecord } from "../src/index.js";

it("encodes go-micro's envelope byte for byte: sorted keys, padded base64, Go's HTML escaping", () => {
  const out = encodeEnvelope({
    header: { "Micro-Topic": "events", "Content-Type": "application/json", "X-Html": "<&>" },
    body: new TextEncoder().encode('{"say":"hello"}\n'),
  });
  expect(out.toString()).toBe(
    '{"Header":{"Content-Type":"application/json","Micro-Topic":"events","X-Html":"\\u003c\\u0026\\u003e"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}',
  );
});

it("decodes like Go's encoding/json: keys case-insensitively, strict base64, null Body absent", () => {
  expect(decodeEnvelope('{"header":{"a":"b"},"body":"aGk="}').header).toEqual({ a: "b" });
  expect(decodeEnvelope('{"Header":null,"Body":null}').body).toBeUndefined();
  expect(decodeEnvelope('{"Body":""}').body).toEqual(new Uint8Array(0));
  expect(() => decodeEnvelope('{"Body":"aGk"}')).toThrow(EnvelopeError);
  expect(() => decodeEnvelope('{"Header":{"a":1}}')).toThrow(EnvelopeError);
  expect(() => decodeEnvelope("[]")).toThrow(EnvelopeError);
});

it("turns a record into a message with go-micro's kafka rules", () => {
  const m = fromRecord("orders", Buffer.from('{"Header":{"Micro-Topic":"x"}}'), { "X-Rec": ["1", "2"] });
  expect(m.header).toEqual({ "Micro-Topic": "orders", "X-Rec": "2", "Content-Type": "application/json" });
  expect(Buffer.from(m.body).toString()).toBe('{"Header":{"Micro-Topic":"x"}}');
});
