import { describe, expect, it } from "vitest";
import { decodeEnvelope, EnvelopeError, encodeEnvelope, parseEnvelope } from "../src/index.js";

const vector =
  '{"Header":{"Content-Type":"application/json","Micro-ID":"2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4","Micro-Topic":"events"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}';

describe("broker envelope", () => {
  it("encodes the spec §7.7 bytes exactly (sorted header keys, padded base64)", () => {
    const body = Buffer.from('{"say":"hello"}\n');
    const header = {
      "Micro-Topic": "events",
      "Content-Type": "application/json",
      "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
    };
    expect(encodeEnvelope({ header, body })).toBe(vector);
  });
  it("decodes like Go: any key case, null parts, strict base64", () => {
    const m = decodeEnvelope(vector);
    expect(Buffer.from(m.body).toString()).toBe('{"say":"hello"}\n');
    expect(m.header["Micro-Topic"]).toBe("events");
    expect(decodeEnvelope('{"header":null,"body":null}')).toEqual({ header: {}, body: new Uint8Array(0) });
    expect(parseEnvelope('{"Header":{}}').body).toBeUndefined();
    expect(() => decodeEnvelope('{"Body":"not base64!"}')).toThrow(EnvelopeError);
    expect(() => decodeEnvelope("[1]")).toThrow(EnvelopeError);
    expect(() => decodeEnvelope('{"Header":{"a":1}}')).toThrow(/Header.a/);
  });
});
