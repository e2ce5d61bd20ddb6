import { afterEach, describe, expect, it, vi } from "vitest";
import { createSelector } from "../src/index.js";
import { CountingRegistry, eventually, node, service } from "./support.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of closers.splice(0)) await c();
});

function logger() {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
}

async function setup(options: { ttl?: number } = {}) {
  const registry = new CountingRegistry();
  await registry.register(service("greeter", "1", [node("n1"), node("n2")]));
  const log = logger();
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

describe("selector cache", () => {
  it("asks the registry once, then serves selects from the cache", async () => {
    const { registry, selector } = await setup();
    for (let i = 0; i < 100; i++) await selector.select("greeter");
    expect(registry.gets).toBe(1);
  });

  it("coalesces concurrent lookups of one service into one registry call", async () => {
    const { registry, selector } = await setup();
    registry.delay = 20;
    const nexts = await Promise.all(Array.from({ length: 25 }, () => selector.select("greeter")));
    expect(nexts).toHaveLength(25);
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

  it("a new version appears and a node's new metadata is seen", async () => {
    const { registry, selector } = await setup();
    await selector.select("greeter");
    await registry.register(service("greeter", "2", [node("n9")]));
    await registry.register(service("greeter", "1", [node("n1", { zone: "b" })]));
    await eventually(async () => {
      const next = await selector.select("greeter", {
        filters: [(s) => s.filter((x) => x.nodes.some((n) => n.metadata.zone === "b" || n.id === "n9"))],
      });
      const seen = new Set(Array.from({ length: 60 }, () => next().id));
      expect(seen).toEqual(new Set(["n1", "n2", "n9"]));
    });
    expect(registry.gets).toBe(1);
  });

  it("a deregistered node disappears without waiting for the TTL", async () => {
    const { registry, selector } = await setup();
    expect(await nodesSeen(selector)).toEqual(["n1", "n2"]);
    await registry.deregister(service("greeter", "1", [node("n2")]));
    await eventually(async () => expect(await nodesSeen(selector)).toEqual(["n1"]));
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

  it("serves the stale entry, with a warning, while the registry fails", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { registry, selector, log } = await setup({ ttl: 1000 });
    expect(await nodesSeen(selector)).toEqual(["n1", "n2"]);
    registry.failing = new Error("etcd: connection refused");
    vi.advanceTimersByTime(1500);
    expect(await nodesSeen(selector)).toEqual(["n1", "n2"]);
    expect(log.warnings.join("\n")).toMatch(/registry lookup of greeter failed \(etcd: connection refused\)/);
    // a failing registry is not asked on every select
    const gets = registry.gets;
    for (let i = 0; i < 20; i++) await selector.select("greeter");
    expect(registry.gets).toBe(gets);
    registry.failing = undefined;
    vi.advanceTimersByTime(1500);
    await selector.select("greeter");
    expect(registry.gets).toBe(gets + 1);
  });

  it("reset forgets the entry, so the next select asks the registry", async () => {
    const { registry, selector } = await setup();
    await selector.select("greeter");
    selector.reset("greeter");
    await selector.select("greeter");
    expect(registry.gets).toBe(2);
  });

  it("asks the registry again after its watch broke (events may have been lost)", async () => {
    const registry = new CountingRegistry();
    await registry.register(service("greeter", "1", [node("n1")]));
    let watchers = 0;
    const original = registry.watch.bind(registry);
    registry.watch = (o) => {
      watchers++;
      const w = original(o);
      if (watchers === 1) setTimeout(() => w.stop(), 10);
      return w;
    };
    const selector = createSelector({ registry, logger: logger() });
    closers.push(() => selector.close());
    await selector.select("greeter");
    await eventually(() => expect(watchers).toBe(2)); // re-watched after a backoff
    await selector.select("greeter");
    expect(registry.gets).toBe(2);
  });

  it("works with a registry that cannot watch (TTL only)", async () => {
    const registry = new CountingRegistry();
    await registry.register(service("greeter", "1", [node("n1")]));
    registry.watch = () => {
      throw new Error("watch not supported");
    };
    const selector = createSelector({ registry, logger: logger() });
    closers.push(() => selector.close());
    for (let i = 0; i < 10; i++) expect((await selector.select("greeter"))().id).toBe("n1");
    expect(registry.gets).toBe(1);
  });
});
