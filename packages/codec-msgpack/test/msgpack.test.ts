import { getPlugin, isMicroError } from "@micro/core";
import { describe, expect, it } from "vitest";
import { msgpackCodec } from "../src/index.js";

describe("msgpack codec", () => {
  it("decodes int64 values as numbers while exact and bigints beyond", () => {
    expect(msgpackCodec.unmarshal(Buffer.from("cf0000010000000000", "hex"))).toBe(2 ** 40);
    expect(msgpackCodec.unmarshal(Buffer.from("d3ffffffffffffffff", "hex"))).toBe(-1);
    expect(msgpackCodec.unmarshal(Buffer.from("cf7fffffffffffffff", "hex"))).toBe(2n ** 63n - 1n);
  });

  it("writes undefined as nil (msgpackr's own extension would not be portable)", () => {
    expect(Buffer.from(msgpackCodec.marshal(undefined)).toString("hex")).toBe("c0");
    expect(Buffer.from(msgpackCodec.marshal({ a: undefined })).toString("hex")).toBe("81a161c0");
  });

  it("writes maps as standard MessagePack maps (no msgpackr records)", () => {
    const body = msgpackCodec.marshal([{ a: 1 }, { a: 2 }]);
    expect(Buffer.from(body).toString("hex")).toBe("9281a1610181a16102");
  });

  it("decodes Map keys to a plain object and Dates as timestamps", () => {
    const d = new Date(1_700_000_000_000);
    const body = msgpackCodec.marshal({ at: d, m: new Map([["k", 1]]) });
    expect(msgpackCodec.unmarshal(body)).toEqual({ at: d, m: { k: 1 } });
  });

  it("rejects with a 400 MicroError naming the codec", () => {
    try {
      msgpackCodec.unmarshal(Buffer.from("81a4", "hex"));
      expect.unreachable();
    } catch (err) {
      expect(isMicroError(err)).toBe(true);
      expect((err as Error).message).toMatch(/^msgpack: invalid body/);
    }
  });

  it("serves both Content-Types through one plugin", () => {
    expect(getPlugin("codec", "msgpack")).toBeDefined();
  });
});
