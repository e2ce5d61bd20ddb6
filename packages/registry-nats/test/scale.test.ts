// Issue 19 at test size on the real NATS: one process holds thousands of services and answers for
// them (the worst case of go-micro's protocol: one answer message per service), another lists them.
// Before, such a list came back silently incomplete (the 100 ms window closed while answers were
// still arriving); now every name comes back, without endpoint schemas on the wire.
import { MicroError, type Service } from "@micro/core";
import { scaleService } from "@micro/testing/registry";
import { describeWithServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { createInbox } from "@nats-io/nats-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rawClient, registry, sleep } from "./helpers.js";

const COUNT = 3000;
const run = `scale-${Date.now().toString(36)}`;
// 2 nodes and 3 endpoints with schemas, like a real service: ~1.3 KB a record
const svc = (i: number): Service =>
  scaleService(
    `${run}-${String(i).padStart(4, "0")}`,
    [0, 1].map((n) => ({
      id: `${run}-${i}-${n}`,
      address: `127.0.0.1:${10000 + i}`,
      metadata: { protocol: "mucp" },
    })),
  );

describeWithServer("nats", "nats registry at scale", () => {
  const services = Array.from({ length: COUNT }, (_, i) => svc(i));
  const holder = registry();
  let raw: NatsConnection;
  beforeAll(async () => {
    raw = await rawClient();
    const started = Date.now();
    for (let i = 0; i < COUNT; i += 500)
      await Promise.all(services.slice(i, i + 500).map((s) => holder.register(s)));
    console.info(`[measured] registered ${COUNT} services in ${Date.now() - started} ms`);
  }, 60_000);
  afterAll(async () => {
    await holder.close();
    await raw.close();
  });

  it("lists every service with its nodes, without endpoints, from another process's client", async () => {
    const reader = registry();
    try {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const listed = await reader.listServices();
        console.info(
          `[measured] listServices with ${COUNT}+ services in one process: ${(performance.now() - started).toFixed(1)} ms`,
        );
        const ours = listed.filter((s) => s.name.startsWith(run));
        expect(ours.map((s) => s.name)).toEqual(services.map((s) => s.name));
        expect(ours[0]).toMatchObject({
          name: services[0]!.name,
          version: services[0]!.version,
          endpoints: [],
        });
        expect(ours[0]!.nodes.map((n) => n.id)).toEqual(services[0]!.nodes.map((n) => n.id));
      }
      // describing one service still gives the whole record
      const got = await reader.getService(services[42]!.name);
      expect(got[0]!.endpoints).toHaveLength(3);
      expect(got[0]!.nodes.map((n) => n.id)).toEqual(services[42]!.nodes.map((n) => n.id));
    } finally {
      await reader.close();
    }
  });

  it("answers a list once per service version, without endpoint schemas, and a get with the whole record", async () => {
    const ask = async (query: string, quietMs: number) => {
      const inbox = createInbox();
      const got: string[] = [];
      const sub = raw.subscribe(inbox, { callback: (_e, m) => void got.push(m.string()) });
      raw.publish("micro.nats.query", query, { reply: inbox });
      // until no answer came for quietMs
      for (let seen = -1; seen !== got.length; ) {
        seen = got.length;
        await sleep(quietMs);
      }
      sub.unsubscribe();
      return got.map((t) => JSON.parse(t) as Service).filter((s) => s.name.startsWith(run));
    };
    const listed = await ask('{"Service":null,"Action":"list"}', 300);
    // one message per service, as go-micro answers: one subscription, so no duplicates either
    expect(listed).toHaveLength(COUNT);
    expect(listed.every((s) => s.endpoints.length === 0 && s.nodes.length === 2)).toBe(true);
    const one = await ask(`{"Service":{"name":"${services[7]!.name}"},"Action":"get"}`, 150);
    expect(one).toHaveLength(1);
    expect(one[0]!.endpoints).toHaveLength(3);
  });

  it("refuses a record over the server's max_payload with a clear error, as Go's Publish does", async () => {
    const r = registry();
    try {
      const big: Service = {
        name: `${run}-big`,
        version: "1",
        endpoints: [{ name: "Big.Call", metadata: { blob: "x".repeat(1_100_000) } }],
        nodes: [{ id: `${run}-big-1`, address: "127.0.0.1:1", metadata: {} }],
      };
      const err = await r.register(big).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MicroError);
      expect((err as MicroError).code).toBe(400);
      expect((err as MicroError).detail).toMatch(/bytes, over the NATS server's max_payload \(\d+\)$/);
      expect(await r.getService(big.name)).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it("fails a list whose answers are still arriving at listTimeout instead of returning part of it", async () => {
    // a peer that never stops answering lists (on a query subject of its own)
    const topic = `micro.nats.query.flood-${run}`;
    const timers: NodeJS.Timeout[] = [];
    const sub = raw.subscribe(topic, {
      callback: (_e, m) => {
        if (!m.reply) return;
        const reply = m.reply;
        let i = 0;
        const t = setInterval(() => {
          for (let k = 0; k < 5; k++)
            raw.publish(reply, `{"name":"flood-${i++}","version":"1","endpoints":null,"nodes":null}`);
          if (i > 5000) clearInterval(t);
        }, 2);
        timers.push(t);
      },
    });
    await raw.flush();
    const r = registry({ queryTopic: topic, timeout: 100, listTimeout: 400 });
    try {
      const err = await r.listServices().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MicroError);
      expect((err as MicroError).detail).toMatch(/answers still arriving after 400 ms/);
    } finally {
      for (const t of timers) clearInterval(t);
      sub.unsubscribe();
      await r.close();
    }
  });
});
