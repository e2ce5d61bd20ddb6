import { type Service, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { describe, expect, it } from "vitest";
import { BrokerNodeCache } from "../src/node-cache.js";
import { sleep } from "./helpers.js";

class CountingRegistry extends MemoryRegistry {
  lookups = 0;
  override async getService(name: string): Promise<Service[]> {
    this.lookups++;
    return super.getService(name);
  }
}

const node = (id: string, topic = "t") => ({
  name: "micro.http.broker",
  version: "ff.http.broadcast",
  endpoints: [],
  nodes: [{ id, address: "127.0.0.1:1", metadata: { broker: "http", topic, secure: "false" } }],
});

const ids = (services: Service[]) => services.flatMap((s) => s.nodes.map((n) => n.id)).sort();

describe("BrokerNodeCache", () => {
  it("asks the registry once and follows its watch afterwards", async () => {
    const registry = new CountingRegistry();
    const cache = new BrokerNodeCache(registry, { ttl: 60_000, logger: silentLogger });
    await registry.register(node("a"));
    expect(ids(await cache.get())).toEqual(["a"]);
    await registry.register(node("b"));
    await registry.register({ ...node("c"), version: "workers" });
    await sleep(1);
    expect(ids(await cache.get())).toEqual(["a", "b", "c"]);
    await registry.deregister(node("a"));
    await sleep(1);
    expect(ids(await cache.get())).toEqual(["b", "c"]);
    expect(registry.lookups).toBe(1);
    cache.close();
  });

  it("shares one lookup between concurrent callers", async () => {
    const registry = new CountingRegistry();
    const cache = new BrokerNodeCache(registry, { ttl: 60_000, logger: silentLogger });
    await Promise.all([cache.get(), cache.get(), cache.get()]);
    expect(registry.lookups).toBe(1);
    cache.close();
  });

  it("forgets a dropped node until the registry reports it again", async () => {
    const registry = new MemoryRegistry();
    const cache = new BrokerNodeCache(registry, { ttl: 60_000, logger: silentLogger });
    await registry.register(node("a"));
    await registry.register(node("b"));
    await cache.get();
    cache.drop("a");
    expect(ids(await cache.get())).toEqual(["b"]);
    await registry.register({ ...node("a"), nodes: [{ ...node("a").nodes[0]!, address: "127.0.0.1:2" }] });
    await sleep(1);
    expect(ids(await cache.get())).toEqual(["a", "b"]);
    cache.close();
  });

  it("without a working watch, refetches at most every few seconds instead of per call", async () => {
    const registry = new CountingRegistry();
    registry.watch = () => {
      throw new Error("no watch here");
    };
    const cache = new BrokerNodeCache(registry, { ttl: 60_000, logger: silentLogger });
    for (let i = 0; i < 20; i++) await cache.get();
    expect(registry.lookups).toBe(1);
    expect(await cache.get(0)).toEqual([]);
    expect(registry.lookups).toBe(2);
    cache.close();
  });
});
