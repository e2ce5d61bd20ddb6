// What users see when NATS is not there: a clear error naming the address when it is down at start;
// a durable queue keeps its messages across a NATS restart. (Plain and queue subscriptions resuming
// after a restart: the conformance suite's restart test.)
import { isMicroError, silentLogger } from "@micro/core";
import { describeWithPrivateServer } from "@micro/testing/servers";
import { describe, expect, it } from "vitest";
import { NatsBroker } from "../src/index.js";
import { text, untext, waitFor } from "./helpers.js";

describe("nats down at start", () => {
  it("connect() fails within seconds with a MicroError naming the address", async () => {
    const b = new NatsBroker({ addresses: ["127.0.0.1:9"], logger: silentLogger });
    const started = Date.now();
    const err = await b.connect().catch((e: unknown) => e);
    expect(isMicroError(err)).toBe(true);
    expect((err as Error).message).toContain("nats://127.0.0.1:9");
    expect((err as { code: number }).code).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(b.publish("t", { header: {}, body: text("x") })).rejects.toThrow(/cannot connect to nats/);
  });
});

describeWithPrivateServer("nats", "nats restarted under a durable subscription", (nats) => {
  it("a durable queue keeps its messages and its place across a server restart", async () => {
    const options = { addresses: [nats().address], logger: silentLogger, jetstream: { nakDelay: 100 } };
    const durable = { durable: true, queue: "keep" } as const;
    const first = new NatsBroker(options);
    const seen: string[] = [];
    await first.subscribe("restart.durable", (e) => void seen.push(untext(e.message.body)), durable);
    await first.publish("restart.durable", { header: {}, body: text("before") });
    await waitFor(() => seen.length === 1, 5000, "the first message");
    await first.disconnect();
    const pub = new NatsBroker(options);
    await pub.publish("restart.durable", { header: {}, body: text("while away") });
    await pub.disconnect(); // drained: the server has stored it

    await nats().stop();
    await nats().start({ fresh: false });

    const again = new NatsBroker(options);
    const started = Date.now();
    await again.subscribe("restart.durable", (e) => void seen.push(untext(e.message.body)), durable);
    await waitFor(() => seen.length === 2, 10_000, "the message stored before the restart");
    console.info(`[measured] durable queue delivering again ${Date.now() - started} ms after resubscribing`);
    expect(seen).toEqual(["before", "while away"]);
    await again.disconnect();
  }, 60_000);
});
