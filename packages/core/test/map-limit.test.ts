// Tools ask the registry about each listed service a bounded number at a time.
import { describe, expect, it } from "vitest";
import { mapLimit } from "../src/internal.js";

describe("mapLimit", () => {
  it("keeps the items' order and never runs more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const out = await mapLimit(
      Array.from({ length: 200 }, (_, i) => i),
      8,
      async (i) => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, i % 3));
        running--;
        return i * 2;
      },
    );
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(most).toBe(8);
  });

  it("handles no items and fewer items than the limit", async () => {
    expect(await mapLimit([], 4, async (x: number) => x)).toEqual([]);
    expect(await mapLimit([1, 2], 64, async (x) => x + 1)).toEqual([2, 3]);
  });
});
