import { describe, expect, it } from "vitest";
import { decodeEnvelope, EnvelopeError, encodeEnvelope } from "../src/envelope.js";

// What a Go client's publish of {"say":"hello"} puts on the wire: JSON of go-micro's broker.Message, header
// keys sorted, Body standard base64 with padding (https://github.com/micro/go-micro/blob/v5.30.0/broker/http.go)
const VECTOR =
  '{"Header":{"Content-Type":"application/json","Micro-ID":"2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4","Micro-Topic":"events"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}';

describe("envelope", () => {
  it("encodes Go's envelope byte for byte, header keys sorted whatever their insertion order", () => {
    const message = {
      header: {
        "Micro-Topic": "events",
        "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
        "Content-Type": "application/json",
      },
      body: new TextEncoder().encode('{"say":"hello"}\n'),
    };
    expect(encodeEnvelope(message)).toBe(VECTOR);
  });

  it("decodes Go's envelope", () => {
    const m = decodeEnvelope(VECTOR);
    expect(m.header).toEqual({
      "Content-Type": "application/json",
      "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
      "Micro-Topic": "events",
    });
    expect(new TextDecoder().decode(m.body)).toBe('{"say":"hello"}\n');
  });

  it("writes an empty body as an empty string and escapes like Go's encoding/json", () => {
    expect(encodeEnvelope({ header: { a: "<b>&" }, body: new Uint8Array(0) })).toBe(
      '{"Header":{"a":"\\u003cb\\u003e\\u0026"},"Body":""}',
    );
  });

  it("sorts keys by UTF-8 bytes, as Go does", () => {
    // U+FF21 sorts before U+1F600 in UTF-8 but after it in UTF-16 code units
    const json = encodeEnvelope({
      header: { "\u{1F600}": "1", "\uFF21": "2", b: "3", B: "4" },
      body: new Uint8Array(),
    });
    expect(Object.keys(JSON.parse(json).Header)).toEqual(["B", "b", "\uFF21", "\u{1F600}"]);
  });

  it("encodes a body that is a view into a larger buffer by its own bytes only", () => {
    const big = new Uint8Array([1, 2, 3, 4, 5]);
    expect(JSON.parse(encodeEnvelope({ header: {}, body: big.subarray(1, 3) })).Body).toBe("AgM=");
  });

  it("accepts what Go accepts: any key case, null or missing fields, base64 with line breaks", () => {
    expect(decodeEnvelope('{"header":{"Micro-Topic":"t"},"body":"aGk="}')).toEqual({
      header: { "Micro-Topic": "t" },
      body: new TextEncoder().encode("hi"),
    });
    expect(decodeEnvelope('{"Header":null,"Body":null}')).toEqual({ header: {}, body: new Uint8Array(0) });
    expect(decodeEnvelope("{}")).toEqual({ header: {}, body: new Uint8Array(0) });
    expect(new TextDecoder().decode(decodeEnvelope('{"Body":"aGVs\\r\\nbG8="}').body)).toBe("hello");
  });

  it.each([
    ["not JSON", "{nope"],
    ["an array", "[]"],
    ["null", "null"],
    ["a header that is not an object", '{"Header":"x"}'],
    ["a header value that is not a string", '{"Header":{"a":1}}'],
    ["a body that is not a string", '{"Body":[1,2]}'],
    ["unpadded base64", '{"Body":"aGk"}'],
    ["URL-alphabet base64", '{"Body":"-_8="}'],
    ["garbage in base64", '{"Body":"a!b="}'],
  ])("rejects %s", (_what, input) => {
    expect(() => decodeEnvelope(input)).toThrow(EnvelopeError);
  });
});
