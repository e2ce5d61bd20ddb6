// The client's shared deadline wheel: deadlines fire (never early), cancelled ones never do, and the
// ticking timer stops once nothing is armed so it cannot keep a process alive.
import { describe, expect, it } from "vitest";
import { DeadlineWheel } from "../src/client/deadlines.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("DeadlineWheel", () => {
  it("fires each deadline once, not before its time", async () => {
    const wheel = new DeadlineWheel(5);
    const start = Date.now();
    const fired: [string, number][] = [];
    wheel.after(30, () => fired.push(["b", Date.now() - start]));
    wheel.after(10, () => fired.push(["a", Date.now() - start]));
    wheel.after(0, () => fired.push(["now", Date.now() - start]));
    expect(wheel.size).toBe(3);
    await sleep(80);
    expect(fired.map((f) => f[0])).toEqual(["now", "a", "b"]);
    expect(fired[1]![1]).toBeGreaterThanOrEqual(10);
    expect(fired[2]![1]).toBeGreaterThanOrEqual(30);
    expect(wheel.size).toBe(0);
  });

  it("never runs a cancelled deadline, and cancel twice is harmless", async () => {
    const wheel = new DeadlineWheel(5);
    let ran = 0;
    const d = wheel.after(10, () => ran++);
    wheel.after(10, () => ran++);
    d.cancel();
    d.cancel();
    expect(wheel.size).toBe(1);
    await sleep(40);
    expect(ran).toBe(1);
  });

  it("keeps working after going idle and being armed again", async () => {
    const wheel = new DeadlineWheel(5);
    let ran = 0;
    wheel.after(5, () => ran++);
    await sleep(30);
    wheel.after(5, () => ran++);
    await sleep(30);
    expect(ran).toBe(2);
  });
});
