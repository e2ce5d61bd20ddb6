// Durable subscriptions on JetStream, against the real nats-server (started with -js): the stream
// and consumer they create, acks on success, redelivery on failure, messages kept while nobody
// listens, work shared within a queue, and Go-style plain publishes captured like ours.
import { randomUUID } from "node:crypto";
import { type BrokerEvent, isMicroError } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { type NatsBroker, type NatsBrokerOptions, streamName } from "../src/index.js";
import { broker, rawClient, sleep, text, untext, waitFor } from "./helpers.js";

describeWithServer("nats", "nats broker: durable (JetStream) subscriptions", () => {
  let admin: NatsConnection;
  const topics: string[] = [];
  const open: NatsBroker[] = [];
  const topic = (what: string) => {
    const t = `durable.${what}.${randomUUID().slice(0, 8)}`;
    topics.push(t);
    return t;
  };
  const durableBroker = (o: NatsBrokerOptions = {}) => {
    const b = broker({ jetstream: { nakDelay: 100, ackWait: 1000 }, ...o });
    open.push(b);
    return b;
  };
  const bodies = (events: BrokerEvent[]) => events.map((e) => untext(e.message.body));

  beforeAll(async () => {
    admin = await rawClient();
  });
  afterEach(async () => {
    for (const b of open.splice(0)) await b.disconnect().catch(() => {});
  });
  afterAll(async () => {
    // streams are persistent: leave the shared server as we found it
    const jsm = await jetstreamManager(admin);
    for (const t of topics) await jsm.streams.delete(streamName(t)).catch(() => {});
    await admin.close();
  });

  it("needs a queue (the durable consumer's name) and refuses names JetStream cannot take", async () => {
    const b = durableBroker();
    for (const queue of [undefined, "has.dot"]) {
      const err = await b.subscribe(topic("noqueue"), () => {}, { durable: true, queue }).catch((e) => e);
      expect(isMicroError(err) && err.code).toBe(400);
    }
  });

  it("creates the stream and the durable consumer, delivers, and acks after the handler", async () => {
    const t = topic("basic");
    const b = durableBroker();
    const got: BrokerEvent[] = [];
    const sub = await b.subscribe(t, (e) => void got.push(e), { durable: true, queue: "workers" });
    expect(sub.queue).toBe("workers");
    for (let i = 0; i < 5; i++) await b.publish(t, { header: { n: String(i) }, body: text(`m${i}`) });
    await waitFor(() => got.length === 5, 5000, "5 messages");
    expect(bodies(got)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    const jsm = await jetstreamManager(admin);
    expect(await jsm.streams.find(t)).toBe(streamName(t));
    await expect
      .poll(async () => {
        const info = await jsm.consumers.info(streamName(t), "workers");
        return [info.num_pending, info.num_ack_pending, info.delivered.stream_seq];
      })
      .toEqual([0, 0, 5]);
  });

  it("redelivers a message whose handler failed, then acks it", async () => {
    const t = topic("retry");
    const b = durableBroker();
    const attempts: string[] = [];
    await b.subscribe(
      t,
      async (e) => {
        attempts.push(untext(e.message.body));
        if (attempts.length < 3) throw new Error("not yet (expected by the test)");
      },
      { durable: true, queue: "retry" },
    );
    await b.publish(t, { header: {}, body: text("flaky") });
    await waitFor(() => attempts.length === 3, 5000, "three attempts");
    await sleep(500);
    expect(attempts).toEqual(["flaky", "flaky", "flaky"]);
  });

  it("keeps what is published while the queue has no subscriber", async () => {
    const t = topic("away");
    const first = durableBroker();
    const before: BrokerEvent[] = [];
    const sub = await first.subscribe(t, (e) => void before.push(e), { durable: true, queue: "q" });
    await first.publish(t, { header: {}, body: text("before") });
    await waitFor(() => before.length === 1, 5000, "the first message");
    await sub.unsubscribe();
    await first.disconnect();

    const pub = durableBroker();
    for (const m of ["while away 1", "while away 2"]) await pub.publish(t, { header: {}, body: text(m) });
    await sleep(200);
    const later = durableBroker();
    const after: BrokerEvent[] = [];
    await later.subscribe(t, (e) => void after.push(e), { durable: true, queue: "q" });
    await waitFor(() => after.length === 2, 5000, "the messages published while away");
    expect(bodies(after)).toEqual(["while away 1", "while away 2"]);
  });

  it("shares the work within a queue and gives each queue every message", async () => {
    const t = topic("share");
    const [a, c, pub] = [durableBroker(), durableBroker(), durableBroker()];
    const [inA, inC, other]: BrokerEvent[][] = [[], [], []];
    await a.subscribe(t, (e) => void inA.push(e), { durable: true, queue: "group" });
    await c.subscribe(t, (e) => void inC.push(e), { durable: true, queue: "group" });
    await c.subscribe(t, (e) => void other.push(e), { durable: true, queue: "other" });
    const n = 200;
    for (let i = 0; i < n; i++) await pub.publish(t, { header: {}, body: text(`m${i}`) });
    await waitFor(() => inA.length + inC.length >= n && other.length >= n, 10_000, "all deliveries");
    await sleep(300);
    const group = [...bodies(inA), ...bodies(inC)];
    expect(group).toHaveLength(n);
    expect(new Set(group).size).toBe(n);
    expect(other).toHaveLength(n);
  });

  it("without autoAck, a message the handler does not ack comes back after the ack wait", async () => {
    const t = topic("manual");
    const b = durableBroker();
    const seen: string[] = [];
    await b.subscribe(
      t,
      async (e) => {
        seen.push(untext(e.message.body));
        if (seen.length > 1) await e.ack();
      },
      { durable: true, queue: "manual", autoAck: false },
    );
    await b.publish(t, { header: {}, body: text("ack me later") });
    await waitFor(() => seen.length === 2, 5000, "the redelivery after the 1 s ack wait");
    await sleep(1500);
    expect(seen).toEqual(["ack me later", "ack me later"]);
  });

  it("captures a plain NATS publish of the envelope (what a Go publisher sends), and terminates garbage", async () => {
    const t = topic("fromgo");
    const b = durableBroker();
    const got: BrokerEvent[] = [];
    await b.subscribe(t, (e) => void got.push(e), { durable: true, queue: "go" });
    const raw = await rawClient();
    raw.publish(t, "not an envelope");
    raw.publish(t, '{"Header":{"Micro-Topic":"x"},"Body":"aGk="}');
    await raw.flush();
    await raw.close();
    await waitFor(() => got.length === 1, 5000, "the envelope");
    expect(untext(got[0]!.message.body)).toBe("hi");
    const jsm = await jetstreamManager(admin);
    await expect.poll(async () => (await jsm.consumers.info(streamName(t), "go")).num_ack_pending).toBe(0);
  });
});
