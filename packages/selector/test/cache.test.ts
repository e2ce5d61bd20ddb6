import { eventually, recordingLogger } from "@micro/testing/helpers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSelector } from "../src/index.js";
import { countingRegistry, node, service } from "./support.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of closers.splice(0)) await c();
});

async function setup(options: { ttl?: number } = {}) {
  const registry = countingRegistry();
  await registry.register(service("greeter", "1", [node("n1"), node("n2")]));
  const log = recordingLogger();
  const selector = createSelector({ registry, logger: log, ...options });
  closers.push(
    () => selector.close(),
    () => registry.close(),
  );
  return { registry, selector, log };
}

async function nodesSeen(selector: Awaited<ReturnType<typeof setup>>["selector"]) {
  const next = await selector.select("greeter");
  return [...new Set(Array.from({ length: 40 }, () => next().id))].sort();
}

// The registry cache itself is tested in @micro/registry-cache; these are what a select sees of it.
describe("selector cache", () => {
  it("asks the registry once, then serves selects from the cache", async () => {
    const { registry, selector } = await setup();
    for (let i = 0; i < 100; i++) await selector.select("greeter");
    expect(registry.gets).toBe(1);
  });

  it("asks again once the TTL has passed (default 60 s)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { registry, selector } = await setup();
    await selector.select("greeter");
    vi.advanceTimersByTime(59_000);
    await selector.select("greeter");
    expect(registry.gets).toBe(1);
    vi.advanceTimersByTime(2_000);
    await selector.select("greeter");
    expect(registry.gets).toBe(2);
  });

  it("a new node appears through the watch, without a registry lookup", async () => {
    const { registry, selector } = await setup();
    expect(await nodesSeen(selector)).toEqual(["n1", "n2"]);
    await registry.register(service("greeter", "1", [node("n3")]));
    await eventually(async () => expect(await nodesSeen(selector)).toEqual(["n1", "n2", "n3"]));
    expect(registry.gets).toBe(1);
  });

  it("a service whose last node goes is not found (after asking the registry)", async () => {
    const { registry, selector } = await setup();
    await selector.select("greeter");
    await registry.deregister(service("greeter", "1", [node("n1"), node("n2")]));
    await eventually(async () => {
      await expect(selector.select("greeter")).rejects.toThrow("service greeter: not found");
    });
  });

  it("selects from the stale entry, with a warning, while the registry fails", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { registry, selector, log } = await setup({ ttl: 1000 });
    expect(await nodesSeen(selector)).toEqual(["n1", "n2"]);
    registry.failing = new Error("etcd: connection refused");
    vi.advanceTimersByTime(1500);
    expect(await nodesSeen(selector)).toEqual(["n1", "n2"]);
    expect(log.warnings).toEqual([
      "selector: registry lookup of greeter failed (etcd: connection refused); using nodes cached 2s ago",
    ]);
  });

  it("reset forgets the entry, so the next select asks the registry", async () => {
    const { registry, selector } = await setup();
    await selector.select("greeter");
    selector.reset("greeter");
    await selector.select("greeter");
    expect(registry.gets).toBe(2);
  });
});
