// The idle deadline: it fires once the time passes without activity, activity pushes it back
// (touch() only notes the time), stop() cancels it, and 0 means never.
import { describe, expect, it } from "vitest";
import { IdleTimer } from "../src/idle-timer.js";
import { sleep } from "./helpers.js";

describe("idle timer", () => {
  it("fires after the time without touch(), not before", async () => {
    const started = performance.now();
    let fired = -1;
    new IdleTimer(80, () => {
      fired = performance.now() - started;
    });
    await sleep(40);
    expect(fired).toBe(-1);
    await sleep(120);
    expect(fired).toBeGreaterThanOrEqual(79);
  });

  it("counts from the last touch()", async () => {
    let fired = 0;
    let last = performance.now();
    let late = 0;
    const t = new IdleTimer(60, () => {
      fired++;
      late = performance.now() - last;
    });
    for (let i = 0; i < 6; i++) {
      await sleep(25);
      t.touch();
      last = performance.now();
    }
    expect(fired).toBe(0);
    await sleep(150);
    expect(fired).toBe(1);
    expect(late).toBeGreaterThanOrEqual(59);
  });

  it("stop() cancels it and 0 never fires", async () => {
    let fired = 0;
    new IdleTimer(30, () => fired++).stop();
    new IdleTimer(0, () => fired++);
    await sleep(80);
    expect(fired).toBe(0);
  });
});
