import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/limits/rate-limit.js";

function clock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("createRateLimiter", () => {
  it("admits a burst, then the sustained rate", () => {
    const c = clock();
    const rl = createRateLimiter({ rate: 10, burst: 3, now: c.now });
    expect([rl.take("a"), rl.take("a"), rl.take("a")]).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(rl.take("a")).toEqual({ ok: false, retryAfterMs: 100 });
    c.advance(40);
    expect(rl.take("a")).toEqual({ ok: false, retryAfterMs: 60 });
    c.advance(60);
    expect(rl.take("a")).toEqual({ ok: true });
    expect(rl.take("a").ok).toBe(false);
    // 10/s really means one request every 100 ms, float error notwithstanding.
    let admitted = 0;
    for (let i = 0; i < 100; i++) {
      c.advance(100);
      if (rl.take("a").ok) admitted++;
      expect(rl.take("a").ok).toBe(false);
    }
    expect(admitted).toBe(100);
  });

  it("refills to the burst and no further", () => {
    const c = clock();
    const rl = createRateLimiter({ rate: 2, burst: 4, now: c.now });
    for (let i = 0; i < 4; i++) expect(rl.take("a").ok).toBe(true);
    c.advance(60_000);
    let n = 0;
    while (rl.take("a").ok) n++;
    expect(n).toBe(4);
  });

  it("keeps clients apart", () => {
    const c = clock();
    const rl = createRateLimiter({ rate: 1, now: c.now });
    expect(rl.take("a").ok).toBe(true);
    expect(rl.take("a")).toEqual({ ok: false, retryAfterMs: 1000 });
    expect(rl.take("b").ok).toBe(true);
    expect(rl.size()).toBe(2);
  });

  it("defaults burst to the rate, at least 1", () => {
    const c = clock();
    const five = createRateLimiter({ rate: 5, now: c.now });
    let n = 0;
    while (five.take("a").ok) n++;
    expect(n).toBe(5);
    const slow = createRateLimiter({ rate: 0.5, now: c.now });
    expect(slow.take("a").ok).toBe(true);
    expect(slow.take("a")).toEqual({ ok: false, retryAfterMs: 2000 });
  });

  it("bounds memory by evicting the least recently seen client", () => {
    const c = clock();
    const rl = createRateLimiter({ rate: 1, maxClients: 3, now: c.now });
    for (const k of ["a", "b", "c"]) rl.take(k);
    rl.take("a"); // a is recent again, b is now the oldest
    rl.take("d");
    expect(rl.size()).toBe(3);
    expect(rl.take("a").ok).toBe(false); // still tracked, still empty
    expect(rl.take("b").ok).toBe(true); // forgotten: a fresh bucket
    for (let i = 0; i < 10_000; i++) rl.take(`k${i}`);
    expect(rl.size()).toBe(3);
  });

  it("survives a clock that steps backwards", () => {
    const c = clock();
    const rl = createRateLimiter({ rate: 1, now: c.now });
    expect(rl.take("a").ok).toBe(true);
    c.advance(-5_000);
    expect(rl.take("a").ok).toBe(false);
    c.advance(5_000);
    expect(rl.take("a").ok).toBe(false);
    c.advance(1_000);
    expect(rl.take("a").ok).toBe(true);
  });

  it("rejects nonsense options", () => {
    expect(() => createRateLimiter({ rate: 0 })).toThrow(RangeError);
    expect(() => createRateLimiter({ rate: Number.NaN })).toThrow(RangeError);
    expect(() => createRateLimiter({ rate: 1, burst: 0.5 })).toThrow(RangeError);
    expect(() => createRateLimiter({ rate: 1, maxClients: 0 })).toThrow(RangeError);
  });

  it("uses a real clock by default", () => {
    const rl = createRateLimiter({ rate: 1000, burst: 1 });
    expect(rl.take("a").ok).toBe(true);
    const r = rl.take("a");
    if (!r.ok) expect(r.retryAfterMs).toBeLessThanOrEqual(1);
  });
});
