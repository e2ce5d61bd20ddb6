import { describe, expect, it } from "vitest";
import { type Field, HeaderEncoder, headerFields } from "../src/writer.js";

const SKIP = new Set(["Content-Length"]);

describe("HeaderEncoder", () => {
  it("always equals a fresh serialization, whatever changes between messages", () => {
    const enc = new HeaderEncoder(SKIP);
    const base: Field[] = headerFields({ Accept: "a", "Micro-Id": "0", Z: "z" }, SKIP);
    const fresh = (h: Record<string, string>, b: readonly Field[]) => {
      const e = new HeaderEncoder(SKIP);
      return e.encode(h, b);
    };
    const reused: Record<string, string> = { "micro-id": "1", "Content-Type": "json" };
    const steps: [Record<string, string>, readonly Field[]][] = [
      [{ "Micro-Id": "1", "Content-Type": "json" }, []],
      [{ "Micro-Id": "2", "Content-Type": "json" }, []],
      [{ "Micro-Id": "2", "Content-Type": "json" }, base],
      [{ "Micro-Id": "3", "Content-Type": "json", "Content-Length": "5" }, base],
      [{ "micro-id": "4", "Micro-Id": "5" }, base],
      [{ "micro-id": "6", "Micro-Id": "5" }, base],
      [{ "micro-id": "6", "Micro-Id": "7" }, base],
      [reused, base],
      [Object.assign(reused, { "micro-id": "9" }), base],
      [Object.assign(reused, { Extra: "e" }), base],
      [{}, base],
      [{}, []],
    ];
    for (const [h, b] of steps) expect(enc.encode(h, b)).toBe(fresh(h, b));
    expect(enc.encode({ "Micro-Id": "5", A: "1" })).toBe("A: 1\r\nMicro-Id: 5\r\n");
  });

  it("splices single changes correctly when the changing field moves from one key to another", () => {
    const enc = new HeaderEncoder(SKIP);
    const base: Field[] = headerFields({ Accept: "a", Zeta: "z" }, SKIP);
    const fresh = (h: Record<string, string>, b: readonly Field[]) => new HeaderEncoder(SKIP).encode(h, b);
    const h = { Timeout: "5", "Micro-Id": "0", "Content-Type": "json" };
    const steps: [Partial<typeof h>, readonly Field[]][] = [
      [{ "Micro-Id": "1" }, []],
      [{ "Micro-Id": "2" }, []],
      [{ Timeout: "4" }, []],
      [{ "Micro-Id": "3" }, []],
      [{ "Micro-Id": "4" }, []],
      [{ "Micro-Id": "5" }, base],
      [{ "Micro-Id": "6" }, base],
      [{ "Content-Type": "text" }, base],
      [{ "Micro-Id": "7" }, base],
      [{ "Micro-Id": "8", Timeout: "3" }, base],
      [{ "Micro-Id": "9" }, base],
    ];
    for (const [change, b] of steps) {
      Object.assign(h, change);
      expect(enc.encode({ ...h }, b)).toBe(fresh(h, b));
    }
  });

  it("recovers after an invalid key", () => {
    const enc = new HeaderEncoder(SKIP);
    expect(() => enc.encode({ "bad key": "x" })).toThrow(/invalid header field name/);
    expect(enc.encode({ ok: "1" })).toBe("Ok: 1\r\n");
  });
});
