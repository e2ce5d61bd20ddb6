// The Timeout header parse remembers the last text it saw; a different text must not get its value.
import { describe, expect, it } from "vitest";
import { deadlineFromHeader } from "../src/context.js";

describe("deadlineFromHeader", () => {
  it("parses each text by itself, whatever came before", () => {
    const now = 1_000;
    const seq: [string | undefined, number | undefined][] = [
      ["5000000", 1_005],
      ["5000000", 1_005],
      ["abc", undefined],
      ["abc", undefined],
      ["2000000", 1_002],
      ["-1", undefined],
      ["0", undefined],
      [undefined, undefined],
      ["2000000", 1_002],
    ];
    for (const [text, want] of seq) expect(deadlineFromHeader(text, now), String(text)).toBe(want);
  });
});
