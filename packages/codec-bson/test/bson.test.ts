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

  it("accepts a Map as the document and reads it back as an object", () => {
    const body = bsonCodec.marshal(new Map([["k", "v"]]));
    expect(bsonCodec.unmarshal(body)).toEqual({ k: "v" });
  });

  it("reads int64 fields as bigints, even small ones (the sender's type decides)", () => {
    expect(bsonCodec.unmarshal(bsonCodec.marshal({ n: 1n }))).toEqual({ n: 1n });
  });
});
