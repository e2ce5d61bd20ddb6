import { afterEach, describe, expect, it, vi } from "vitest";
import { createSelector } from "../src/index.js";
import { countingRegistry, node, quiet, service } from "./support.js";

afterEach(() => {
  vi.useRealTimers();
});

async function setup(failureTimeout?: number) {
  const registry = countingRegistry();
  await registry.register(service("greeter", "1", [node("n1"), node("n2"), node("n3")]));
  const selector = createSelector({
    registry,
    logger: quiet,
    ...(failureTimeout !== undefined ? { failureTimeout } : {}),
  });
  return { registry, selector };
}

const picks = async (selector: Awaited<ReturnType<typeof setup>>["selector"], n = 200) => {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) seen.add((await selector.select("greeter"))().id);
  return [...seen].sort();
};

describe("marking failed nodes", () => {
  it("avoids a node that failed, then uses it again after the failure timeout", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { selector } = await setup();
    selector.mark("greeter", node("n2"), new Error("connection refused"));
    expect(await picks(selector)).toEqual(["n1", "n3"]);
    vi.advanceTimersByTime(9_000);
    expect(await picks(selector)).toEqual(["n1", "n3"]);
    vi.advanceTimersByTime(1_001); // default failure timeout: 10 s
    expect(await picks(selector)).toEqual(["n1", "n2", "n3"]);
    await selector.close();
  });

  it("a success clears the mark at once", async () => {
    const { selector } = await setup();
    selector.mark("greeter", node("n2"), new Error("boom"));
    selector.mark("greeter", node("n2"));
    expect(await picks(selector)).toEqual(["n1", "n2", "n3"]);
    await selector.close();
  });

  it("falls back to every node when all are failing", async () => {
    const { selector } = await setup();
    for (const id of ["n1", "n2", "n3"]) selector.mark("greeter", node(id), new Error("down"));
    expect(await picks(selector)).toEqual(["n1", "n2", "n3"]);
    await selector.close();
  });

  it("skips a node marked during a call's retries", async () => {
    const { selector } = await setup();
    for (let i = 0; i < 30; i++) {
      const next = await selector.select("greeter");
      const first = next();
      selector.mark("greeter", first, new Error("refused"));
      const second = next();
      const third = next();
      expect(second.id).not.toBe(first.id);
      expect(third.id).not.toBe(first.id);
      selector.mark("greeter", first); // recovered
    }
    await selector.close();
  });

  it("failureTimeout 0 keeps go-micro's behaviour: marks change nothing", async () => {
    const { selector } = await setup(0);
    selector.mark("greeter", node("n2"), new Error("down"));
    expect(await picks(selector)).toEqual(["n1", "n2", "n3"]);
    await selector.close();
  });

  it("reset forgets marks", async () => {
    const { selector } = await setup();
    selector.mark("greeter", node("n2"), new Error("down"));
    selector.reset("greeter");
    expect(await picks(selector)).toEqual(["n1", "n2", "n3"]);
    await selector.close();
  });
});
