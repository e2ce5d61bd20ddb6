// The same 8 concurrent 30 MB bodies with the cap at 64 MiB: two bodies are held at a time, the
// others wait unread (TCP holds their senders back) and are served as room frees up.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "./helpers.js";
import { serveBodies } from "./support/serve-bodies.js";

afterEach(cleanup);

describe("8 concurrent 30 MB bodies, a 64 MiB cap", () => {
  it("hold at most 64 MiB at once, are all served, and RSS stays far under the 240 MB sent", async () => {
    const { replies, growthMB, held } = await serveBodies(8, 30e6, {
      maxBodyBytesInFlight: 64 * 1024 * 1024,
    });
    expect(replies).toEqual(Array(8).fill("got 30000000"));
    expect(held).toBeLessThanOrEqual(64 * 1024 * 1024);
    // measured: ~120 MB: two bodies held, and taken ones until the GC frees them
    expect(growthMB).toBeLessThan(200);
  }, 30_000);
});
