// One lease per TTL per process (issue 19): nodes share it, yet each node keeps go-micro's TTL
// semantics — deregister deletes its key at once, and every node of a process that stops is gone
// one TTL later.
import type { Service } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import type { Etcd3 } from "etcd3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { nodeKey } from "../src/index.js";
import { etcdAddress, eventually, rawClient, registry } from "./helpers.js";

const svc = (name: string, ...ids: string[]): Service => ({
  name,
  version: "1",
  endpoints: [],
  nodes: ids.map((id) => ({ id, address: "127.0.0.1:7", metadata: {} })),
});

describeWithServer("etcd", "etcd registry: one lease per TTL", () => {
  let raw: Etcd3;
  beforeAll(() => {
    raw = rawClient();
  });
  afterAll(() => raw.close());
  const leaseOf = async (s: Service, i = 0) =>
    String((await raw.get(nodeKey(s.name, s.nodes[i]!.id)).exec()).kvs[0]?.lease ?? "none");
  const exists = (s: Service, i = 0) => raw.get(nodeKey(s.name, s.nodes[i]!.id)).exists();

  it("shares a lease between nodes of one TTL, one more for another TTL", async () => {
    const tag = `shared-${Date.now()}`;
    const [a, b, c] = [svc(`${tag}-a`, "a1", "a2"), svc(`${tag}-b`, "b1"), svc(`${tag}-c`, "c1")];
    const r = registry();
    try {
      await r.register(a, { ttl: 20_000 });
      await r.register(b, { ttl: 20_000 });
      await r.register(c, { ttl: 40_000 });
      expect(r.leaseCount).toBe(2);
      const shared = await leaseOf(a);
      expect([await leaseOf(a, 1), await leaseOf(b)]).toEqual([shared, shared]);
      expect(await leaseOf(c)).not.toBe(shared);
      // a node registered again with another TTL moves to that TTL's lease
      await r.register(b, { ttl: 40_000 });
      expect(await leaseOf(b)).toBe(await leaseOf(c));
      expect(r.leaseCount).toBe(2);
    } finally {
      for (const s of [a, b, c]) await r.deregister(s);
      await r.close();
    }
  });

  it("deregister deletes a key at once; the last key out revokes the lease", async () => {
    const tag = `dereg-${Date.now()}`;
    const [a, b] = [svc(`${tag}-a`, "a1"), svc(`${tag}-b`, "b1")];
    const r = registry();
    try {
      await r.register(a, { ttl: 20_000 });
      await r.register(b, { ttl: 20_000 });
      const lease = await leaseOf(a);
      await r.deregister(a);
      expect(await exists(a)).toBe(false);
      expect(await exists(b)).toBe(true);
      expect(Number((await raw.leaseClient.leaseTimeToLive({ ID: lease })).TTL)).toBeGreaterThan(0);
      await r.deregister(b);
      expect(await exists(b)).toBe(false);
      expect(Number((await raw.leaseClient.leaseTimeToLive({ ID: lease })).TTL)).toBeLessThan(0);
      expect(r.leaseCount).toBe(0);
    } finally {
      await r.close();
    }
  });

  it("every node of a process that stops disappears one TTL later", async () => {
    const tag = `stop-${Date.now()}`;
    const nodes = [svc(`${tag}-a`, "a1", "a2"), svc(`${tag}-b`, "b1")];
    const r = registry();
    for (const s of nodes) await r.register(s, { ttl: 2000 });
    await new Promise((res) => setTimeout(res, 3000)); // past the TTL: the one stream keeps all
    for (const s of nodes) expect(await exists(s)).toBe(true);
    await r.close(); // keep-alive stops, nothing is deleted: like a process that died
    const stopped = Date.now();
    await eventually(async () => {
      for (const s of nodes) expect(await exists(s)).toBe(false);
    }, 10_000);
    expect(Date.now() - stopped).toBeLessThan(5000);
  });

  // etcd's Range calls as it counts them: a retried read would show more than one
  const ranges = async () => {
    const text = await (await fetch(`http://${etcdAddress()}/metrics`)).text();
    return text
      .split("\n")
      .filter((l) => l.startsWith("grpc_server_handled_total") && l.includes('grpc_method="Range"'))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  };

  it("a too-large answer is a clear error, asked once", async () => {
    // etcd takes values up to ~1.5 MiB: three of 1.4 MB make a range answer over the 4 MiB limit
    const name = `huge-${Date.now()}`;
    const big = `{"name":"${name}","version":"1","nodes":[{"id":"x","address":"a","metadata":{"pad":"${"x".repeat(1_400_000)}"}}]}`;
    const keys = [1, 2, 3].map((i) => nodeKey(name, `n${i}`));
    for (const k of keys) await raw.put(k).value(big);
    const r = registry();
    try {
      const before = await ranges();
      const err = await r.getService(name).catch((e: unknown) => e as Error & { code: number });
      expect((err as Error).message).toMatch(/larger than the client's message limit/);
      expect((err as { code: number }).code).toBe(500);
      expect((err as Error).message).not.toMatch(/cannot reach/);
      expect((await ranges()) - before).toBe(1);
    } finally {
      for (const k of keys) await raw.delete().key(k);
      await r.close();
    }
  });
});
