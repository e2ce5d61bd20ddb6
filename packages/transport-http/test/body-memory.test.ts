// Memory with many large request bodies at once (issue 18: 8 concurrent 30 MB bodies, 911 MB RSS).
// A body is read into one buffer of its final size (before: every read kept, then all joined, so
// twice the body at the peak). With the default cap (256 MiB) all 8 fit: RSS grows by about the
// bodies. test/body-memory-cap.test.ts has a smaller cap, in a process of its own.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "./helpers.js";
import { serveBodies } from "./support/serve-bodies.js";

afterEach(cleanup);

describe("8 concurrent 30 MB bodies, default cap", () => {
  it("are all served, and RSS grows by about the 240 MB they hold, not twice that", async () => {
    const { replies, growthMB, held } = await serveBodies(8, 30e6);
    expect(replies).toEqual(Array(8).fill("got 30000000"));
    expect(held).toBeLessThanOrEqual(256 * 1024 * 1024);
    // measured: ~280 MB (before: 144-391 MB, 911 MB through a whole service)
    expect(growthMB).toBeLessThan(340);
  }, 30_000);
});
