import { constants, deflateRawSync, deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { chunk, decodeTxt, encodeTxt, TXT_CHUNK, txtJSON } from "../src/txt.js";
import { GREETER, GREETER_TXT_JSON, GREETER_TXT_STRINGS } from "./vectors.js";

const greeterTxt = {
  service: GREETER.name,
  version: GREETER.version,
  endpoints: GREETER.endpoints,
  metadata: GREETER.nodes[0]!.metadata,
};

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

describe("TXT payload", () => {
  it("encodes the greeter node to exactly Go's JSON (compared after inflating)", () => {
    const strings = encodeTxt(greeterTxt);
    expect(txtJSON(strings)).toBe(GREETER_TXT_JSON);
    // zlib bytes differ from Go's, the shape does not: lowercase hex in strings of at most 255
    for (const s of strings) {
      expect(s).toMatch(/^[0-9a-f]+$/);
      expect(s.length).toBeLessThanOrEqual(TXT_CHUNK);
    }
    expect(strings.slice(0, -1).every((s) => s.length === TXT_CHUNK)).toBe(true);
  });

  it("decodes the greeter's TXT strings (255 + 151 characters)", () => {
    expect(GREETER_TXT_STRINGS.map((s) => s.length)).toEqual([255, 151]);
    expect(txtJSON(GREETER_TXT_STRINGS)).toBe(GREETER_TXT_JSON);
    expect(decodeTxt(GREETER_TXT_STRINGS)).toEqual(greeterTxt);
    // as they come off the wire: Buffers
    expect(decodeTxt(GREETER_TXT_STRINGS.map((s) => Buffer.from(s)))).toEqual(greeterTxt);
  });

  it("decodes a stream ending with an empty stored block, as Go's compressor writes it", () => {
    // Go's compress/zlib: header, the data flushed with a sync marker, a final empty stored block
    // (01 00 00 ff ff), then the Adler-32 of the data.
    const json = Buffer.from(GREETER_TXT_JSON);
    const body = deflateRawSync(json, { finishFlush: constants.Z_SYNC_FLUSH });
    expect(body.subarray(-4).toString("hex")).toBe("0000ffff");
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32BE(adler32(json));
    const goStyle = Buffer.concat([
      Buffer.from("789c", "hex"),
      body,
      Buffer.from("010000ffff", "hex"),
      trailer,
    ]);
    expect(inflateSync(goStyle).toString()).toBe(GREETER_TXT_JSON);
    expect(decodeTxt(chunk(goStyle.toString("hex"), TXT_CHUNK))).toEqual(greeterTxt);
    // and a version tag Go's consul registry produced (https://github.com/micro/go-micro/blob/v5.30.0/registry/consul/encoding_test.go): "latest"
    expect(inflateSync(Buffer.from("789cca492c492d2e01040000ffff08cc028e", "hex")).toString()).toBe("latest");
  });

  it("round-trips endpoints, metadata and Go's HTML escaping", () => {
    const rec = {
      service: "shop",
      version: "2.0.0",
      endpoints: [
        {
          name: "Shop.Buy",
          request: {
            name: "Req",
            type: "Req",
            values: [{ name: "items", type: "[]Item", values: [{ name: "sku", type: "string" }] }],
          },
          metadata: { note: "<a> & <b>" },
        },
      ],
      metadata: { html: "<script>&</script>", unicode: "héllo ✓", empty: "" },
    };
    const strings = encodeTxt(rec);
    const json = txtJSON(strings);
    expect(json).toContain("\\u003cscript\\u003e\\u0026\\u003c/script\\u003e");
    expect(json).not.toMatch(/[<>&]/);
    expect(decodeTxt(strings)).toEqual(rec);
  });

  it("writes null Endpoints when there are none (http broker entries)", () => {
    const strings = encodeTxt({
      service: "go.micro.http.broker",
      version: "latest",
      endpoints: [],
      metadata: {},
    });
    expect(txtJSON(strings)).toBe(
      '{"Metadata":{},"Service":"go.micro.http.broker","Version":"latest","Endpoints":null}',
    );
    expect(decodeTxt(strings).endpoints).toEqual([]);
  });

  it("splits at 255 characters and joins any split back", () => {
    expect(chunk("a".repeat(600), TXT_CHUNK).map((s) => s.length)).toEqual([255, 255, 90]);
    expect(chunk("a".repeat(255), TXT_CHUNK)).toHaveLength(1);
    expect(chunk("", TXT_CHUNK)).toEqual([]);
    const many = {
      service: "big",
      version: "1",
      endpoints: Array.from({ length: 40 }, (_, i) => ({
        name: `Big.M${i}`,
        metadata: { i: String(i * 7919) },
      })),
      metadata: {},
    };
    const strings = encodeTxt(many);
    expect(strings.length).toBeGreaterThan(2);
    expect(decodeTxt(strings)).toEqual(many);
    // splitting is not part of the payload: any split decodes the same
    expect(decodeTxt(chunk(strings.join(""), 10))).toEqual(many);
  });

  it("reads keys case-insensitively, like Go", () => {
    const json = '{"metadata":{"a":"b"},"SERVICE":"x","version":"1","endpoints":null}';
    const hex = deflateSync(Buffer.from(json)).toString("hex");
    expect(decodeTxt([hex])).toEqual({ service: "x", version: "1", endpoints: [], metadata: { a: "b" } });
  });

  it("rejects what is not go-micro's encoding", () => {
    const z = (s: string) => deflateSync(Buffer.from(s)).toString("hex");
    expect(() => decodeTxt([])).toThrow();
    expect(() => decodeTxt(["txtvers=1"])).toThrow(/hex/);
    expect(() => decodeTxt(["abc"])).toThrow(/hex/);
    expect(() => decodeTxt(["00ff00ff"])).toThrow();
    expect(() => decodeTxt([z("not json")])).toThrow();
    expect(() => decodeTxt([z("[1,2]")])).toThrow(/object/);
    expect(() => decodeTxt([z('{"Version":"1"}')])).toThrow(/Service/);
    expect(() => decodeTxt([z('{"Service":"x","Endpoints":{}}')])).toThrow(/Endpoints/);
  });
});
