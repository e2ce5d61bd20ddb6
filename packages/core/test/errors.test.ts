import { describe, expect, it } from "vitest";
import { MicroError } from "../src/index.js";
import { goJSON } from "../src/plugin-kit.js";

describe("MicroError", () => {
  it("serializes exactly like go-micro's errors.Error", () => {
    expect(MicroError.internal("go.micro.server", "boom").toString()).toBe(
      '{"id":"go.micro.server","code":500,"detail":"boom","status":"Internal Server Error"}',
    );
    expect(MicroError.timeout("go.micro.client", "<nil>").toString()).toBe(
      '{"id":"go.micro.client","code":408,"detail":"\\u003cnil\\u003e","status":"Request Timeout"}',
    );
  });

  it("omits zero fields like Go's omitempty", () => {
    expect(new MicroError("", "x", 0, "").toString()).toBe('{"detail":"x"}');
  });

  it("parses Go JSON and plain text", () => {
    const e = MicroError.parse(
      '{"id":"test","code":500,"detail":"Internal server error","status":"Internal Server Error"}',
    );
    expect([e.id, e.code, e.detail, e.status]).toEqual([
      "test",
      500,
      "Internal server error",
      "Internal Server Error",
    ]);
    const plain = MicroError.parse("rpc: can't find service Greeter");
    expect([plain.code, plain.detail]).toEqual([0, "rpc: can't find service Greeter"]);
    expect(MicroError.parse("{not json").detail).toBe("{not json");
  });

  it("helpers carry the usual codes and statuses", () => {
    expect(MicroError.badRequest("a", "b").status).toBe("Bad Request");
    expect(MicroError.notFound("a", "b").code).toBe(404);
    expect(MicroError.conflict("a", "b").status).toBe("Conflict");
    expect(MicroError.from(new Error("x")).code).toBe(500);
  });

  it("escapes like Go", () => {
    expect(goJSON({ a: "<&>" })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
  });
});
