// Leases: kept alive while the registry lives (go-micro v5), gone one TTL after it stops.
import type { Service } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import type { Etcd3 } from "etcd3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { nodeKey } from "../src/index.js";
import { eventually, rawClient, registry, sleep } from "./helpers.js";

const svc = (name: string): Service => ({
  name,
  version: "1",
  endpoints: [],
  nodes: [{ id: `${name}-1`, address: "127.0.0.1:7", metadata: {} }],
});

describeWithServer("etcd", "etcd registry leases", () => {
  let raw: Etcd3;
  beforeAll(() => {
    raw = rawClient();
  });
  afterAll(() => raw.close());

  it("keeps a node alive past its TTL without re-registration, and it expires once keep-alive stops", async () => {
    const s = svc(`ttl-keepalive-${Date.now()}`);
    const key = nodeKey(s.name, s.nodes[0]!.id);
    const r = registry();
    await r.register(s, { ttl: 2000 });
    await sleep(4500); // more than twice the TTL
    expect(await raw.get(key).exists()).toBe(true);
    const other = registry();
    expect((await other.getService(s.name))[0]!.nodes.map((n) => n.id)).toEqual([s.nodes[0]!.id]);
    // close() stops keep-alive without deleting, like a process that died
    await r.close();
    const stopped = Date.now();
    await eventually(async () => expect(await other.getService(s.name)).toEqual([]), 10_000);
    const after = Date.now() - stopped;
    expect(after).toBeGreaterThan(500);
    expect(after).toBeLessThan(5000);
    await other.close();
  });

  it("without keep-alive, a node lives one TTL after its last registration", async () => {
    const s = svc(`ttl-refresh-${Date.now()}`);
    const key = nodeKey(s.name, s.nodes[0]!.id);
    const r = registry({ keepAlive: false });
    try {
      await r.register(s, { ttl: 2000 });
      await sleep(1500);
      await r.register(s, { ttl: 2000 }); // unchanged: renews the lease only
      await sleep(1500);
      expect(await raw.get(key).exists()).toBe(true);
      await eventually(async () => expect(await raw.get(key).exists()).toBe(false), 5000);
      // the lease is gone: registering again grants a new one and writes the key back
      await r.register(s, { ttl: 2000 });
      expect(await raw.get(key).exists()).toBe(true);
    } finally {
      await r.deregister(s);
      await r.close();
    }
  });

  it("deregister deletes the key and revokes the lease", async () => {
    const s = svc(`ttl-dereg-${Date.now()}`);
    const key = nodeKey(s.name, s.nodes[0]!.id);
    const r = registry();
    try {
      await r.register(s, { ttl: 30_000 });
      const lease = (await raw.get(key).exec()).kvs[0]!.lease;
      await r.deregister(s);
      expect(await raw.get(key).exists()).toBe(false);
      const left = await raw.leaseClient.leaseTimeToLive({ ID: lease });
      expect(Number(left.TTL)).toBeLessThan(0); // etcd answers -1 for an unknown lease
    } finally {
      await r.close();
    }
  });
});
