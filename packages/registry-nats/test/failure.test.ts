// What users see when NATS is not there: a clear error naming the servers within a second when it
// is down at start; after a NATS restart the registry reconnects, re-subscribes and answers again.
import { isMicroError, type Service } from "@micro/core";
import { describeWithPrivateServer } from "@micro/testing/servers";
import { describe, expect, it } from "vitest";
import { eventually, registry, sleep } from "./helpers.js";

const svc = (name: string): Service => ({
  name,
  version: "1",
  endpoints: [],
  nodes: [{ id: `${name}-1`, address: "127.0.0.1:7", metadata: {} }],
});

describe("nats down at start", () => {
  it("register and getService fail after bounded retries with an error naming the server", async () => {
    const r = registry({ addresses: ["127.0.0.1:9"] });
    const started = Date.now();
    const err = await r.register(svc("down")).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(isMicroError(err)).toBe(true);
    expect((err as Error).message).toContain("nats://127.0.0.1:9");
    expect((err as { code: number }).code).toBe(503);
    console.info(`[measured] register with nats down: failed after ${took} ms`);
    expect(took).toBeLessThan(5000);
    await expect(r.getService("down")).rejects.toThrow(/cannot connect to nats/);
    await r.close();
  });
});

describeWithPrivateServer("nats", "nats restarted under a registered service", (nats) => {
  it("errors while NATS is away and answers again once it is back", async () => {
    const owner = registry({ addresses: [nats().address] });
    const client = registry({ addresses: [nats().address] });
    const s = svc("restart-owner");
    const w = client.watch({ service: s.name });
    const seen: string[] = [];
    void (async () => {
      for await (const e of w) seen.push(`${e.action}:${e.service.nodes[0]?.metadata.round ?? ""}`);
    })();
    // a watch on the owner's own connection: the client subscribes again before it sends what was
    // kept, so this one sees every announcement made during the outage
    const own = owner.watch({ service: s.name });
    const ownSeen: string[] = [];
    void (async () => {
      for await (const e of own) ownSeen.push(`${e.action}:${e.service.nodes[0]?.metadata.round ?? ""}`);
    })();
    try {
      await owner.register(s, { ttl: 60_000 });
      await eventually(async () => expect(await client.getService(s.name)).toHaveLength(1));
      await nats().stop();
      const down = Date.now();
      await eventually(
        async () => expect(client.getService(s.name)).rejects.toThrow(/not connected to nats/),
        5000,
      );
      console.info(`[measured] getService errors ${Date.now() - down} ms after NATS stopped`);
      // registering while NATS is away succeeds locally; the announcement is kept and sent on
      // reconnect (the client alone drops what it buffered when it dials again)
      await owner.register(
        { ...s, nodes: [{ ...s.nodes[0]!, metadata: { round: "outage" } }] },
        { ttl: 60_000 },
      );
      await sleep(500);
      await nats().start();
      const up = Date.now();
      await eventually(
        async () =>
          expect((await client.getService(s.name))[0]?.nodes.map((n) => n.id)).toEqual([s.nodes[0]!.id]),
        15_000,
      );
      console.info(`[measured] getService finds the node again ${Date.now() - up} ms after NATS restarted`);
      await eventually(() => expect(ownSeen).toContain("update:outage"), 10_000);
      // the watch subscription came back with the connection
      await owner.register({ ...s, nodes: [{ ...s.nodes[0]!, metadata: { round: "2" } }] }, { ttl: 60_000 });
      await eventually(() => expect(seen).toContain("update:2"));
    } finally {
      w.stop();
      own.stop();
      await owner.deregister(s).catch(() => {});
      await owner.close();
      await client.close();
    }
  }, 60_000);
});
