// What users see when etcd is not there: a clear error naming the address within seconds when
// it is down at start, and registrations that come back by themselves after an etcd restart.
import { isMicroError, type Service } from "@micro/core";
import {
  describeWithServer,
  type PrivateServer,
  privateServer,
  serviceScripts,
} from "@micro/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeKey } from "../src/index.js";
import { eventually, rawClient, registry, sleep } from "./helpers.js";

const svc = (name: string, id = `${name}-1`): Service => ({
  name,
  version: "1",
  endpoints: [],
  nodes: [{ id, address: "127.0.0.1:7", metadata: {} }],
});

describe("etcd down at start", () => {
  // port 9 (discard) is closed on test machines: connections are refused at once
  const address = "127.0.0.1:9";

  it("register fails after bounded retries with an error naming the address", async () => {
    const r = registry({ addresses: [address] });
    const started = Date.now();
    const err = await r.register(svc("down-at-start"), { ttl: 10_000 }).catch((e: unknown) => e);
    const took = Date.now() - started;
    await r.close();
    expect(isMicroError(err)).toBe(true);
    expect((err as Error).message).toContain("http://127.0.0.1:9");
    expect((err as { code: number }).code).toBe(503);
    console.info(`[measured] register with etcd down: failed after ${took} ms`);
    expect(took).toBeLessThan(10_000);
  });

  it("a watch waits (reconnecting) while etcd is unreachable, and stop() ends it", async () => {
    const r = registry({ addresses: [address] });
    const w = r.watch();
    const next = w.next().then(
      () => "event",
      () => "stopped",
    );
    const early = await Promise.race([next, sleep(500).then(() => "waiting")]);
    expect(early).toBe("waiting");
    w.stop();
    expect(await next).toBe("stopped");
    await r.close();
  });

  it("getService and listServices fail the same way", async () => {
    const r = registry({ addresses: [address], retries: 1 });
    const started = Date.now();
    await expect(r.getService("x")).rejects.toThrow(/cannot reach etcd at http:\/\/127\.0\.0\.1:9/);
    await expect(r.listServices()).rejects.toThrow(/cannot reach etcd/);
    console.info(`[measured] getService+listServices with etcd down (1 retry): ${Date.now() - started} ms`);
    await r.close();
  });
});

const scripts = serviceScripts();

describeWithServer("etcd", "etcd restarted under a registered service", () => {
  if (!scripts) {
    it.skip("needs scripts/services or shared/tools start/stop scripts");
    return;
  }
  let etcd: PrivateServer;
  beforeAll(async () => {
    etcd = await privateServer("etcd");
    await etcd.start();
  }, 60_000);
  afterAll(async () => {
    await etcd?.dispose();
  });

  it("re-grants leases and puts keys back when etcd returns without its data", async () => {
    const leased = svc("restart-leased");
    const plain = svc("restart-plain");
    const r = registry({ addresses: [etcd.address] });
    const raw = rawClient(etcd.address);
    try {
      await r.register(leased, { ttl: 3000 });
      await r.register(plain);
      await etcd.stop();
      const down = Date.now();
      // while it is down, register reports it (the service logs and retries at its interval)
      await expect(r.register(leased, { ttl: 3000 })).rejects.toThrow(/cannot reach etcd/);
      await sleep(1000);
      await etcd.start({ fresh: true }); // a new, empty etcd: every lease and key is gone
      const up = Date.now();
      // the keep-alive stream finds the lease unknown and the registry writes the node again
      await eventually(
        async () => expect(await raw.get(nodeKey(leased.name, leased.nodes[0]!.id)).exists()).toBe(true),
        15_000,
      );
      console.info(
        `[measured] leased node back ${Date.now() - up} ms after etcd restarted (down ${up - down} ms)`,
      );
      // a node without lease comes back at the next re-registration
      expect(await raw.get(nodeKey(plain.name, plain.nodes[0]!.id)).exists()).toBe(false);
      await r.register(plain);
      expect(await raw.get(nodeKey(plain.name, plain.nodes[0]!.id)).exists()).toBe(true);
      const again = await r.getService(leased.name);
      expect(again[0]!.nodes.map((n) => n.id)).toEqual([leased.nodes[0]!.id]);
    } finally {
      await r.deregister(leased).catch(() => {});
      await r.deregister(plain).catch(() => {});
      await r.close();
      raw.close();
    }
  }, 60_000);

  it("keeps its lease when etcd restarts with its data within the TTL", async () => {
    const s = svc("restart-kept");
    const r = registry({ addresses: [etcd.address] });
    const raw = rawClient(etcd.address);
    try {
      await r.register(s, { ttl: 10_000 });
      await etcd.stop();
      await etcd.start({ fresh: false });
      await sleep(12_000); // past the TTL: only a working keep-alive holds the key now
      expect(await raw.get(nodeKey(s.name, s.nodes[0]!.id)).exists()).toBe(true);
    } finally {
      await r.deregister(s).catch(() => {});
      await r.close();
      raw.close();
    }
  }, 60_000);
});
