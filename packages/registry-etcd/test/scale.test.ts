// Issue 19 at test size: thousands of services from one process on the real etcd. Listing reads
// keys only (the full records are ~4 MB here, the client's limit), every node hangs on one lease
// per TTL and thousand nodes, and lease traffic does not grow with the nodes.
import type { Service } from "@micro/core";
import { scaleService } from "@micro/testing/registry";
import { describeWithServer } from "@micro/testing/servers";
import type { Etcd3 } from "etcd3";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { nodeKey, servicePrefix } from "../src/index.js";
import { KEYS_PER_LEASE } from "../src/lease-groups.js";
import type { KeyValues } from "../src/txn-batch.js";
import { rawClient, registry } from "./helpers.js";

const COUNT = 3000;
const run = `scale-${Date.now().toString(36)}`;
// 3 endpoints with schemas, like a real service: ~1.3 KB a record, ~4 MB for all of them
const svc = (i: number): Service =>
  scaleService(`${run}-${String(i).padStart(4, "0")}`, [
    { id: `${run}-${i}-node`, address: `127.0.0.1:${10000 + i}`, metadata: { protocol: "mucp" } },
  ]);

describeWithServer("etcd", "etcd registry at scale", () => {
  let raw: Etcd3;
  const services = Array.from({ length: COUNT }, (_, i) => svc(i));
  const r = registry();
  beforeAll(async () => {
    raw = rawClient();
    const started = Date.now();
    for (let i = 0; i < COUNT; i += 500)
      await Promise.all(services.slice(i, i + 500).map((s) => r.register(s, { ttl: 30_000 })));
    console.info(`[measured] registered ${COUNT} services in ${Date.now() - started} ms`);
  }, 60_000);
  afterAll(async () => {
    // one range delete instead of 3,000 deregistrations (tested elsewhere); close() then lets the
    // emptied lease run out
    await raw.delete().prefix(`/micro/registry/${run}`);
    await r.close();
    raw.close();
  }, 60_000);

  it("lists every service by name from another client, without the records", async () => {
    const reader = registry();
    try {
      const started = performance.now();
      const listed = await reader.listServices();
      console.info(
        `[measured] listServices with ${COUNT}+ services: ${(performance.now() - started).toFixed(1)} ms`,
      );
      const ours = listed.filter((s) => s.name.startsWith(run));
      expect(ours.map((s) => s.name)).toEqual(services.map((s) => s.name));
      expect(ours[0]).toEqual({ name: services[0]!.name, version: "", endpoints: [], nodes: [] });
      // describing one service still gives the whole record
      const got = await reader.getService(services[42]!.name);
      expect(got[0]!.endpoints).toHaveLength(3);
      expect(got[0]!.nodes.map((n) => n.id)).toEqual([services[42]!.nodes[0]!.id]);
    } finally {
      await reader.close();
    }
  });

  it("describes every service at once in a few transactions, each answer its own service's", async () => {
    const reader = registry();
    try {
      const started = performance.now();
      const got = await Promise.all(services.map((s) => reader.getService(s.name)));
      console.info(
        `[measured] getService of ${COUNT} services at once: ${(performance.now() - started).toFixed(1)} ms`,
      );
      got.forEach((g, i) => {
        expect(g).toHaveLength(1);
        expect(g[0]!.name).toBe(services[i]!.name);
        expect(g[0]!.nodes.map((n) => n.id)).toEqual([services[i]!.nodes[0]!.id]);
        expect(g[0]!.endpoints).toHaveLength(3);
      });
    } finally {
      await reader.close();
    }
    // the same reads through the batcher on a client we can watch: 128 reads a transaction
    const { TxnBatcher, MAX_OPS_PER_TXN, readPrefix } = await import("../src/txn-batch.js");
    const txn = vi.spyOn(raw.kv, "txn");
    const range = vi.spyOn(raw.kv, "range");
    const batcher = new TxnBatcher<KeyValues>(raw);
    const kvs = await Promise.all(services.map((s) => batcher.run(readPrefix(servicePrefix(s.name)))));
    expect(kvs.every((k) => k.length === 1)).toBe(true);
    expect(txn.mock.calls.length + range.mock.calls.length).toBe(Math.ceil(COUNT / MAX_OPS_PER_TXN));
    txn.mockRestore();
    range.mockRestore();
  });

  it("lists in pages when there are more keys than one page", async () => {
    const { listNames } = await import("../src/list-names.js");
    const names = await listNames(raw, 700);
    expect(names.filter((n) => n.startsWith(run))).toHaveLength(COUNT);
  });

  it("hangs the nodes of one TTL on leases of 1,000 nodes each", async () => {
    expect(r.leaseCount).toBe(Math.ceil(COUNT / KEYS_PER_LEASE));
    const leaseOf = async (i: number) =>
      String((await raw.get(nodeKey(services[i]!.name, services[i]!.nodes[0]!.id)).exec()).kvs[0]!.lease);
    // registered in order, 500 at a time: the first thousand share a lease, the next is another
    expect(await leaseOf(0)).toBe(await leaseOf(KEYS_PER_LEASE - 1));
    expect(await leaseOf(KEYS_PER_LEASE)).not.toBe(await leaseOf(0));
    const leases = new Set(await Promise.all(services.map((_, i) => leaseOf(i))));
    expect(leases.size).toBe(Math.ceil(COUNT / KEYS_PER_LEASE));
    for (const id of leases) {
      const ttl = await raw.leaseClient.leaseTimeToLive({ ID: id });
      expect(Number(ttl.grantedTTL)).toBe(30);
    }
  });

  it("re-registering every unchanged node costs at most one keep-alive", async () => {
    const started = Date.now();
    for (let i = 0; i < COUNT; i += 500)
      await Promise.all(services.slice(i, i + 500).map((s) => r.register(s, { ttl: 30_000 })));
    console.info(`[measured] re-registered ${COUNT} unchanged services in ${Date.now() - started} ms`);
    expect(r.leaseCount).toBe(Math.ceil(COUNT / KEYS_PER_LEASE));
  });
});
