// The outbox hands a turn's publishes to NATS together, without changing what a publisher sees:
// order kept, every message delivered, and refusals still immediate.
import { isMicroError } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterEach, expect, it } from "vitest";
import type { NatsBroker } from "../src/index.js";
import { broker, rawClient, text, waitFor } from "./helpers.js";

describeWithServer("nats", "nats broker outbox", () => {
  const open: (NatsBroker | NatsConnection)[] = [];
  afterEach(async () => {
    for (const x of open.splice(0)) await ("drain" in x ? x.close() : x.disconnect()).catch(() => {});
  });

  it("keeps publish order across turns and bursts larger than one hand-over", async () => {
    const raw = await rawClient();
    open.push(raw);
    const got: number[] = [];
    raw.subscribe("outbox.order", { callback: (_e, m) => void got.push(JSON.parse(m.string()).Header.n) });
    await raw.flush();
    const b = broker();
    open.push(b);
    await b.connect();
    const n = 5000;
    const pending: Promise<void>[] = [];
    // a synchronous burst (more than one hand-over's worth), then awaited ones across turns
    for (let i = 0; i < 3000; i++)
      pending.push(b.publish("outbox.order", { header: { n: String(i) }, body: text("x") }));
    await Promise.all(pending);
    for (let i = 3000; i < n; i++)
      await b.publish("outbox.order", { header: { n: String(i) }, body: text("x") });
    await waitFor(() => got.length >= n, 10_000, `${n} messages`);
    expect(got).toEqual(Array.from({ length: n }, (_, i) => String(i)));
  });

  it("rejects at once what the client would refuse: a bad subject, an oversized payload", async () => {
    const b = broker();
    await b.connect();
    const bad = await b.publish("has space", { header: {}, body: text("x") }).catch((e: unknown) => e);
    expect(isMicroError(bad) && bad.code).toBe(400);
    const big = await b
      .publish("outbox.big", { header: {}, body: new Uint8Array(2 * 1024 * 1024) })
      .catch((e: unknown) => e);
    expect(isMicroError(big) && big.code).toBe(400);
    expect((big as Error).message).toMatch(/max_payload/);
    await b.disconnect();
  });

  it("disconnect() delivers what was queued in the same turn", async () => {
    const raw = await rawClient();
    open.push(raw);
    const got: string[] = [];
    raw.subscribe("outbox.drain", { callback: (_e, m) => void got.push(m.string()) });
    await raw.flush();
    const b = broker();
    await b.connect();
    void b.publish("outbox.drain", { header: {}, body: text("last words") });
    await b.disconnect();
    await waitFor(() => got.length === 1, 5000, "the queued message");
  });
});
