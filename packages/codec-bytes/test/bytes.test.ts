import { Frame } from "@micro/core";
import { describe, expect, it } from "vitest";
import { bytesCodec } from "../src/index.js";

describe("bytes codec", () => {
  it("passes bodies through without copying", () => {
    const raw = Uint8Array.from([1, 2, 3]);
    expect(bytesCodec.marshal(raw)).toBe(raw);
    expect(bytesCodec.unmarshal(raw)).toBe(raw);
    expect(bytesCodec.marshal(new Frame(raw))).toBe(raw);
  });

  it("takes Buffers, ArrayBuffers and other views", () => {
    expect(bytesCodec.marshal(Buffer.from("ab"))).toEqual(Buffer.from("ab"));
    expect(bytesCodec.marshal(Uint16Array.from([0x0201]).buffer)).toEqual(Uint8Array.from([1, 2]));
    expect(bytesCodec.marshal(new DataView(Uint8Array.from([9, 8, 7]).buffer, 1, 2))).toEqual(
      Uint8Array.from([8, 7]),
    );
  });

  it("names the type it cannot encode", () => {
    expect(() => bytesCodec.marshal(new Map())).toThrow(/bytes codec cannot encode Map/);
  });
});
