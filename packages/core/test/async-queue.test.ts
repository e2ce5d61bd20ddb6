import { describe, expect, it } from "vitest";
import { exponentialBackoff } from "../src/client/backoff.js";
import { AsyncQueue } from "../src/plugin-kit.js";

describe("AsyncQueue", () => {
  it("delivers pushed items in order, then ends", async () => {
    const q = new AsyncQueue<number>();
    q.push(1);
    setTimeout(() => {
      q.push(2);
      q.end();
    }, 5);
    const got: number[] = [];
    for await (const v of q) got.push(v);
    expect(got).toEqual([1, 2]);
  });
  it("fails pending pulls", async () => {
    const q = new AsyncQueue<number>();
    const p = q.pull();
    q.fail(new Error("boom"));
    await expect(p).rejects.toThrow("boom");
  });
});

describe("backoff", () => {
  it("matches go-micro's backoff: 0, 100 ms, 600 ms, 1.9 s, 4.3 s, 7.9 s", () => {
    expect([0, 1, 2, 3, 4, 5].map(exponentialBackoff)).toEqual([0, 100, 600, 1900, 4300, 7900]);
    expect(exponentialBackoff(20)).toBe(120_000);
  });
});
