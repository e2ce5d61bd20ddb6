// Only standard MessagePack is read: msgpackr's own extensions decoded into an Error, a RegExp, a
// Set or a circular array before (each input below was found or suggested by fuzzing).
import { expectMicroError } from "@micro/testing/helpers";
import { describe, expect, it } from "vitest";
import { msgpackCodec } from "../src/index.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
const refused = (h: string) => expectMicroError(() => msgpackCodec.unmarshal(hex(h)), { code: 400 }).message;

describe("msgpack reads standard MessagePack only", () => {
  it("refuses msgpackr's private extensions wherever they stand", () => {
    // {"nam\\0": <fixext4 type 0x65>}: an Error object
    expect(refused("81 a4 6e616d00 d6 65 a44a6f68 6e")).toMatch(/extension type 101 \(only the timestamp/);
    // [<id 1> [<pointer 1>]]: a circular array
    expect(refused("d6 69 00000001 91 d6 70 00000001")).toMatch(/extension type 105/);
    expect(refused("91 d4 78 00")).toMatch(/extension type 120/); // RegExp
    expect(refused("d4 73 90")).toMatch(/extension type 115/); // Set
    expect(refused("d4 72 40 91 a1 61 05")).toMatch(/extension type 114/); // a record definition
    expect(refused("d4 00 00")).toMatch(/extension type 0/); // undefined
    expect(refused("c7 01 05 00")).toMatch(/extension type 5/); // an application extension, as before
  });

  it("refuses 0xc1 anywhere and a timestamp of the wrong size", () => {
    expect(refused("c1")).toMatch(/reserved type byte 0xc1/);
    expect(refused("92 01 c1")).toMatch(/reserved type byte 0xc1/);
    expect(refused("d5 ff 0001")).toMatch(/timestamp extension of 2 bytes/);
  });

  it("still reads timestamps, and bytes that only look like extensions inside strings and numbers", () => {
    expect(msgpackCodec.unmarshal(hex("d6 ff 00000001"))).toEqual(new Date(1000));
    expect(msgpackCodec.unmarshal(hex("92 a2 d4c1 cb 3ff8000000d4c1d6"))).toEqual([
      "\ufffd\ufffd",
      Buffer.from("3ff8000000d4c1d6", "hex").readDoubleBE(0),
    ]);
    expect(msgpackCodec.unmarshal(hex("81 a1 62 c4 02 c7d4"))).toEqual({ b: Buffer.from([0xc7, 0xd4]) });
  });
});
