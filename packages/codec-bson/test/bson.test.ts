import { expectMicroError } from "@micro/testing/helpers";
import { describe, expect, it } from "vitest";
import { bsonCodec } from "../src/index.js";

const error = (fn: () => unknown) => expectMicroError(fn);

describe("bson codec", () => {
  it("explains how to send a value that is not a document", () => {
    const err = error(() => bsonCodec.marshal([1]));
    expect(err.code).toBe(500);
    expect(err.message).toMatch(/must be a document.*got an array.*wrap it/);
  });

  it("names the field whose bigint does not fit an int64", () => {
    expect(error(() => bsonCodec.marshal({ a: { n: 2n ** 64n } })).message).toMatch(/\$\.a\.n/);
  });

  it("refuses an invalid Date, naming its field, rather than sending the epoch (found by fuzzing)", () => {
    expect(error(() => bsonCodec.marshal({ a: [new Date("x")] })).message).toMatch(
      /\$\.a\.0: an invalid Date/,
    );
    // a datetime beyond Date's range (2^57 ms here) reads as an invalid Date, which cannot go back out
    const far = Uint8Array.from(Buffer.from("10000000 09 6100 0000000000000002 00".replace(/ /g, ""), "hex"));
    const decoded = bsonCodec.unmarshal<{ a: Date }>(far);
    expect(Number.isNaN(decoded.a.getTime())).toBe(true);
    expect(error(() => bsonCodec.marshal(decoded)).code).toBe(500);
  });

  it("accepts a Map as the document and reads it back as an object", () => {
    const body = bsonCodec.marshal(new Map([["k", "v"]]));
    expect(bsonCodec.unmarshal(body)).toEqual({ k: "v" });
  });

  it("reads int64 fields as bigints, even small ones (the sender's type decides)", () => {
    expect(bsonCodec.unmarshal(bsonCodec.marshal({ n: 1n }))).toEqual({ n: 1n });
  });
});
