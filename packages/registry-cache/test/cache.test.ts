import type { Node, Service, Watcher } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { CountingRegistry, eventually, recordingLogger, sleep } from "@micro/testing/helpers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RegistryCache, type RegistryCacheOptions } from "../src/index.js";

const node = (id: string, metadata: Record<string, string> = {}): Node => ({
  id,
  address: `127.0.0.1:${9000 + Number(id.replace(/\D/g, "") || 0)}`,
  metadata: { protocol: "mucp", ...metadata },
});

const service = (name: string, version: string, nodes: Node[]): Service => ({
  name,
  version,
  endpoints: [],
  nodes,
});

const ids = (services: Service[]) => services.flatMap((s) => s.nodes.map((n) => n.id)).sort();

const closers: (() => unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of closers.splice(0)) await c();
});

async function setup(options: RegistryCacheOptions = {}) {
  const registry = new CountingRegistry(new MemoryRegistry());
  await registry.register(service("greeter", "1", [node("n1"), node("n2")]));
  const log = recordingLogger();
  const cache = new RegistryCache(registry, { logger: log, ...options });
  closers.push(
    () => cache.close(),
    () => registry.close(),
  );
  return { registry, cache, log };
}

describe("RegistryCache lookups", () => {
  it("asks the registry once, then serves from the cache", async () => {
    const { registry, cache } = await setup();
    for (let i = 0; i < 100; i++) expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2"]);
    expect(registry.gets).toBe(1);
  });

  it("coalesces concurrent lookups of one service into one registry call", async () => {
    const { registry, cache } = await setup();
    registry.delay = 20;
    const answers = await Promise.all(Array.from({ length: 25 }, () => cache.get("greeter")));
    expect(answers).toHaveLength(25);
    expect(registry.gets).toBe(1);
  });

  it("asks again once the TTL has passed (default 60 s), on the clock it is given", async () => {
    let now = 1_000_000;
    const { registry, cache } = await setup({ now: () => now });
    const lookupsAt = async (at: number) => {
      now = at;
      await cache.get("greeter");
      return registry.gets;
    };
    expect(await lookupsAt(1_000_000)).toBe(1);
    expect(await lookupsAt(1_059_000)).toBe(1);
    expect(await lookupsAt(1_061_000)).toBe(2);
  });

  it("asks again when the caller wants a younger answer than the TTL", async () => {
    const { registry, cache } = await setup();
    await cache.get("greeter");
    await sleep(5);
    await cache.get("greeter", 1);
    expect(registry.gets).toBe(2);
  });

  it("asks again for an unknown service every time by default (it may appear at any moment)", async () => {
    const { registry, cache } = await setup();
    expect(await cache.get("nobody")).toEqual([]);
    expect(await cache.get("nobody")).toEqual([]);
    expect(registry.gets).toBe(2);
  });

  it("keeps an empty answer for notFoundTTL, and applies events to it meanwhile", async () => {
    const { registry, cache } = await setup({ notFoundTTL: 60_000 });
    expect(await cache.get("late")).toEqual([]);
    expect(await cache.get("late")).toEqual([]);
    expect(registry.gets).toBe(1);
    await registry.register(service("late", "1", [node("n7")]));
    await eventually(async () => expect(ids(await cache.get("late"))).toEqual(["n7"]));
    expect(registry.gets).toBe(1);
  });
});

describe("RegistryCache watches", () => {
  it("a new node appears through the watch, without a registry lookup", async () => {
    const { registry, cache } = await setup();
    await cache.get("greeter");
    await registry.register(service("greeter", "1", [node("n3")]));
    await eventually(async () => expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2", "n3"]));
    expect(registry.gets).toBe(1);
  });

  it("a new version appears and a node's new metadata is seen", async () => {
    const { registry, cache } = await setup();
    await cache.get("greeter");
    await registry.register(service("greeter", "2", [node("n9")]));
    await registry.register(service("greeter", "1", [node("n1", { zone: "b" })]));
    await eventually(async () => {
      const got = await cache.get("greeter");
      expect(got.map((s) => s.version).sort()).toEqual(["1", "2"]);
      const v1 = got.find((s) => s.version === "1")!;
      expect(v1.nodes.find((n) => n.id === "n1")!.metadata.zone).toBe("b");
      expect(ids(got)).toEqual(["n1", "n2", "n9"]);
    });
    expect(registry.gets).toBe(1);
  });

  it("a deregistered node disappears without waiting for the TTL", async () => {
    const { registry, cache } = await setup();
    await cache.get("greeter");
    await registry.deregister(service("greeter", "1", [node("n2")]));
    await eventually(async () => expect(ids(await cache.get("greeter"))).toEqual(["n1"]));
    expect(registry.gets).toBe(1);
  });

  it("a service whose last node goes is asked for again", async () => {
    const { registry, cache } = await setup();
    await cache.get("greeter");
    await registry.deregister(service("greeter", "1", [node("n1"), node("n2")]));
    await eventually(async () => expect(await cache.get("greeter")).toEqual([]));
    expect(registry.gets).toBeGreaterThan(1);
  });

  it("never changes a list it handed out", async () => {
    const { registry, cache } = await setup();
    const before = await cache.get("greeter");
    const copy = structuredClone(before);
    await registry.register(service("greeter", "1", [node("n3")]));
    await registry.deregister(service("greeter", "1", [node("n1")]));
    await eventually(async () => expect(ids(await cache.get("greeter"))).toEqual(["n2", "n3"]));
    expect(before).toEqual(copy);
  });

  it("keeps events that arrive while the registry answers", async () => {
    const { registry, cache } = await setup();
    const answer = await registry.inner.getService("greeter"); // taken before the change below
    let answerNow = () => {};
    registry.getService = () => new Promise((resolve) => (answerNow = () => resolve(answer)));
    const pending = cache.get("greeter");
    await registry.register(service("greeter", "1", [node("n4")]));
    await sleep(5); // the event reaches the watch
    answerNow();
    expect(ids(await pending)).toEqual(["n1", "n2", "n4"]);
  });

  it("asks the registry again after its watch broke (events may have been lost)", async () => {
    const { registry, cache } = await setup();
    let watchers = 0;
    const original = registry.watch.bind(registry);
    registry.watch = (o) => {
      watchers++;
      const w = original(o);
      if (watchers === 1) setTimeout(() => w.stop(), 10);
      return w;
    };
    await cache.get("greeter");
    await eventually(() => expect(watchers).toBe(2)); // re-watched after a backoff
    await cache.get("greeter");
    expect(registry.gets).toBe(2);
  });

  it("with a registry that cannot watch, asks at most every unwatchedTTL (default 5 s)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { registry, cache } = await setup();
    registry.watch = () => {
      throw new Error("watch not supported");
    };
    for (let i = 0; i < 20; i++) expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2"]);
    expect(registry.gets).toBe(1);
    vi.advanceTimersByTime(4_000);
    await cache.get("greeter");
    expect(registry.gets).toBe(1);
    vi.advanceTimersByTime(2_000);
    await cache.get("greeter");
    expect(registry.gets).toBe(2);
    expect(await cache.get("greeter", 0)).toHaveLength(1);
    expect(registry.gets).toBe(3);
  });

  it("forget drops the entry and the watch; close stops everything and may be followed by gets", async () => {
    const { registry, cache } = await setup();
    const active = new Set<Watcher>();
    const original = registry.watch.bind(registry);
    registry.watch = (o) => {
      const w = original(o);
      const stop = w.stop;
      active.add(w);
      w.stop = () => {
        active.delete(w);
        stop();
      };
      return w;
    };
    await cache.get("greeter");
    expect(active.size).toBe(1);
    cache.forget("greeter");
    expect(active.size).toBe(0);
    await cache.get("greeter");
    expect(registry.gets).toBe(2);
    cache.close();
    expect(active.size).toBe(0);
    expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2"]);
    expect(registry.gets).toBe(3);
    expect(active.size).toBe(1);
  });
});

describe("RegistryCache while the registry fails", () => {
  it("serves the stale entry, with a warning, asking again at most every retryAfter", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const { registry, cache, log } = await setup({ ttl: 1000, name: "selector" });
    expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2"]);
    registry.failing = new Error("etcd: connection refused");
    vi.advanceTimersByTime(1500);
    expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2"]);
    expect(log.warnings.join("\n")).toMatch(
      /^selector: registry lookup of greeter failed \(etcd: connection refused\); using nodes cached 2s ago/,
    );
    const gets = registry.gets;
    for (let i = 0; i < 20; i++) await cache.get("greeter");
    expect(registry.gets).toBe(gets);
    registry.failing = undefined;
    vi.advanceTimersByTime(1500);
    await cache.get("greeter");
    expect(registry.gets).toBe(gets + 1);
  });

  it("rejects with the registry's error when nothing is cached", async () => {
    const { registry, cache } = await setup();
    registry.failing = new Error("consul: 500");
    await expect(cache.get("greeter")).rejects.toThrow("consul: 500");
  });
});

describe("RegistryCache.drop", () => {
  it("forgets a node until the registry reports it again", async () => {
    const { registry, cache } = await setup();
    await cache.get("greeter");
    cache.drop("greeter", "n1");
    expect(ids(await cache.get("greeter"))).toEqual(["n2"]);
    await registry.register(service("greeter", "1", [{ ...node("n1"), address: "127.0.0.1:2" }]));
    await eventually(async () => expect(ids(await cache.get("greeter"))).toEqual(["n1", "n2"]));
    expect(registry.gets).toBe(1);
  });
});
