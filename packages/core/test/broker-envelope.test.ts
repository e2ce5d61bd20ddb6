import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  decodeEnvelope,
  decodeEnvelopeBytes,
  EnvelopeError,
  encodeEnvelope,
  encodeEnvelopeBytes,
  goJSON,
  parseEnvelope,
} from "../src/plugin-kit.js";

const vector =
  '{"Header":{"Content-Type":"application/json","Micro-ID":"2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4","Micro-Topic":"events"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

/** What decodeEnvelopeBytes gives, or the EnvelopeError message it throws. */
function decodeOrError(data: Uint8Array): unknown {
  try {
    const m = decodeEnvelopeBytes(data);
    return { header: { ...m.header }, body: [...m.body] };
  } catch (err) {
    expect(err).toBeInstanceOf(EnvelopeError);
    return { error: (err as Error).message };
  }
}

/** The same through the JSON.parse path alone (parseEnvelope has no fast path). */
function slowOrError(data: Uint8Array): unknown {
  try {
    const m = parseEnvelope(Buffer.from(data).toString("utf8"));
    return { header: { ...m.header }, body: [...(m.body ?? [])] };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe("broker envelope", () => {
  it("encodes the envelope of a Go client's publish exactly (sorted header keys, padded base64)", () => {
    const body = Buffer.from('{"say":"hello"}\n');
    const header = {
      "Micro-Topic": "events",
      "Content-Type": "application/json",
      "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
    };
    expect(encodeEnvelope({ header, body })).toBe(vector);
    expect(Buffer.from(encodeEnvelopeBytes({ header, body })).toString("utf8")).toBe(vector);
  });

  it("encodes what a Go publisher sent byte for byte (interop vector)", () => {
    const http = readFileSync(
      new URL("../../../interop/vectors/broker/publish-json.http", import.meta.url),
      "utf8",
    );
    const sent = http.slice(http.indexOf("\r\n\r\n") + 4 || http.indexOf("\n\n") + 2).trim();
    const m = decodeEnvelopeBytes(bytes(sent));
    expect(m.header["X-Test-Header"]).toBe("abc");
    expect(encodeEnvelope(m)).toBe(sent);
    expect(Buffer.from(encodeEnvelopeBytes(m)).toString("utf8")).toBe(sent);
  });

  it("escapes like Go's encoding/json: quotes, controls, <>& and U+2028/9, UTF-8 kept", () => {
    const header = {
      "X-Q": '"a"\\b',
      "X-C": "\n\t\u0001",
      "X-H": "<a&b>",
      "X-L": "\u2028\u2029",
      "X-U": "héllo ✓",
    };
    const expected =
      '{"Header":{"X-C":"\\n\\t\\u0001","X-H":"\\u003ca\\u0026b\\u003e","X-L":"\\u2028\\u2029","X-Q":"\\"a\\"\\\\b","X-U":"héllo ✓"},"Body":"AQI="}';
    const body = new Uint8Array([1, 2]);
    expect(encodeEnvelope({ header, body })).toBe(expected);
    expect(Buffer.from(encodeEnvelopeBytes({ header, body })).toString("utf8")).toBe(expected);
    expect(decodeEnvelopeBytes(encodeEnvelopeBytes({ header, body })).header).toEqual(header);
  });

  it("sorts keys by UTF-8 bytes as Go does, numeric-looking keys included", () => {
    const header = { "9": "a", "10": "b", "\u{1F600}": "c", "\uFFFD": "d", b: "e" };
    // JS objects list integer-like keys first; Go sorts them as strings
    expect(encodeEnvelope({ header, body: new Uint8Array(0) })).toBe(
      '{"Header":{"10":"b","9":"a","b":"e","\uFFFD":"d","\u{1F600}":"c"},"Body":""}',
    );
    // already in UTF-16 order, which is not UTF-8 order
    expect(encodeEnvelope({ header: { "\u{1F600}": "c", "\uFFFD": "d" }, body: new Uint8Array(0) })).toBe(
      '{"Header":{"\uFFFD":"d","\u{1F600}":"c"},"Body":""}',
    );
  });

  it("encodes a body of every length mod 3, the bytes and the string forms alike", () => {
    for (let n = 0; n < 70; n++) {
      const body = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
      const message = { header: { n: String(n) }, body };
      const reference = goJSON({ Header: { n: String(n) }, Body: Buffer.from(body).toString("base64") });
      expect(encodeEnvelope(message)).toBe(reference);
      expect(Buffer.from(encodeEnvelopeBytes(message)).toString("utf8")).toBe(reference);
      expect([...decodeEnvelopeBytes(encodeEnvelopeBytes(message)).body]).toEqual([...body]);
    }
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

  it("decodes bytes exactly as the JSON.parse path does, on Go's shape and on everything else", () => {
    const cases = [
      vector,
      '{"Header":null,"Body":null}',
      '{"Header":{},"Body":""}',
      '{"Header":{"a":"1","a":"2"},"Body":"AA=="}',
      '{"Header":{"k":"h\u00e9llo \u2713"},"Body":"AAE="}',
      '{"Header":{"k":"\\u003c\\n"},"Body":"AAE="}',
      '{"header":{"k":"v"},"body":"AAE="}',
      '{"Body":"AAE=","Header":{"k":"v"}}',
      '{ "Header" : { "k" : "v" } , "Body" : "AAE=" }',
      '{"Header":{"k":"v"},"Body":"AAE=\\n"}',
      '{"Header":{"k":"v"},"Body":"AA\\r\\nAA"}',
      '{"Header":{"k":"v"},"Body":"AAE"}',
      '{"Header":{"k":"v"},"Body":"A==="}',
      '{"Header":{"k":"v"},"Body":"AA-_"}',
      '{"Header":{"k":"v"},"Body":"AAE=="}',
      '{"Header":{"k":1},"Body":""}',
      '{"Header":[],"Body":""}',
      '{"Header":{"k":"v"},"Body":1}',
      '{"Header":{"k":"v"},"Body":""} ',
      '{"Header":{"k":"v"},"Body":""}x',
      '{"Header":{"k":"v"},"Body":""',
      '{"Header":{"k":"v"}',
      '{"Header":{"k":"v\u0001"},"Body":""}',
      '{"Header":{"__proto__":"x"},"Body":""}',
      "not json",
      "",
    ];
    for (const c of cases) expect(decodeOrError(bytes(c)), c).toEqual(slowOrError(bytes(c)));
    // invalid UTF-8 inside a header value: both replace it the same way
    const bad = Buffer.concat([
      Buffer.from('{"Header":{"k":"a'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('"},"Body":""}'),
    ]);
    expect(decodeOrError(bad)).toEqual(slowOrError(bad));
  });

  it("decodes every truncation of a valid envelope as the JSON.parse path does", () => {
    const full = bytes(vector);
    for (let n = 0; n <= full.length; n++) {
      const part = full.subarray(0, n);
      expect(decodeOrError(part), `first ${n} bytes`).toEqual(slowOrError(part));
    }
  });
});
