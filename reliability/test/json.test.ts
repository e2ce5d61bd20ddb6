// Recorded results are written as biome formats JSON, so `biome check .` passes on them as written.
import { describe, expect, it } from "vitest";
import { formatJson } from "../src/json.js";

describe("formatJson", () => {
  it("keeps objects one member per line and short arrays of plain values on one line", () => {
    expect(formatJson({ a: [1, 2], b: { c: [[1, 2]] }, d: [], e: {}, f: [{ g: 1 }] })).toBe(
      '{\n  "a": [1, 2],\n  "b": {\n    "c": [[1, 2]]\n  },\n  "d": [],\n  "e": {},\n  "f": [\n    {\n      "g": 1\n    }\n  ]\n}\n',
    );
  });

  it("breaks an array that would pass 110 columns: pairs one per line, numbers filling lines", () => {
    const pairs = Array.from({ length: 12 }, (_, i) => [i * 1000, i * 1000 + 5]);
    expect(formatJson({ y: pairs })).toContain('"y": [\n    [0, 5],\n    [1000, 1005],');
    const numbers = Array.from({ length: 40 }, (_, i) => i * 1000);
    const lines = formatJson({ x: numbers }).split("\n");
    expect(lines[2]).toBe(
      "    0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000, 13000, 14000, 15000, 16000,",
    );
    expect(lines[4]).toBe("    32000, 33000, 34000, 35000, 36000, 37000, 38000, 39000");
  });
});
