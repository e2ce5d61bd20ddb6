// What crosses the wire, checked with a raw amqplib client standing in for a Go service: the AMQP
// message we publish (exchange, routing key, raw body, headers table), what we make of a raw
// publisher's message, queue groups, nack/requeue, durable queues and prefetch.
import { randomUUID } from "node:crypto";
import type { BrokerEvent } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import { type Channel, type ChannelModel, type ConsumeMessage, connect } from "amqplib";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { RabbitMQBroker } from "../src/index.js";
import { broker, eventually, sleep, text, untext, url } from "./helpers.js";

describeWithServer("rabbitmq", "rabbitmq broker on the wire", () => {
  let raw: ChannelModel;
  let ch: Channel;
  const live: RabbitMQBroker[] = [];
  const topic = (what: string) => `wire.${what}.${randomUUID().slice(0, 8)}`;
  const open = async (o: Parameters<typeof broker>[0] = {}) => {
    const b = broker(o);
    await b.connect();
    live.push(b);
    return b;
  };

  beforeAll(async () => {
    raw = await connect(url());
    ch = await raw.createChannel();
    ch.on("error", () => {}); // a failed check closes the channel; the test reports it
    // what a Go service declares on connect: exchange micro, topic, not durable
    await ch.assertExchange("micro", "topic", { durable: false });
  });
  afterAll(async () => {
    await raw?.close();
  });
  afterEach(async () => {
    for (const b of live.splice(0)) await b.disconnect();
  });

  it("publishes to exchange micro with routing key = topic, the raw body and the headers as a table", async () => {
    const t = topic("out");
    const { queue } = await ch.assertQueue("", { exclusive: true, autoDelete: true });
    await ch.bindQueue(queue, "micro", t);
    const got: ConsumeMessage[] = [];
    await ch.consume(queue, (m) => m && got.push(m), { noAck: true });
    const b = await open();
    const id = randomUUID();
    // the exact header map go-micro's client publishes (https://github.com/micro/go-micro/blob/v5.30.0/client/rpc_client.go, Publish)
    const header = {
      "Content-Type": "application/json",
      "Micro-ID": id,
      "Micro-Topic": t,
      "X-Custom": "héllo",
    };
    await b.publish(t, { header, body: text('{"say":"hello"}\n') });
    await eventually(() => expect(got).toHaveLength(1));
    const m = got[0]!;
    expect(m.fields.exchange).toBe("micro");
    expect(m.fields.routingKey).toBe(t);
    expect(m.content.toString("utf8")).toBe('{"say":"hello"}\n'); // not the JSON envelope
    expect(m.properties.contentType).toBe("application/json");
    const table = Object.fromEntries(
      Object.entries(m.properties.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : v]),
    );
    expect(table).toEqual(header);
    for (const v of Object.values(m.properties.headers ?? {})) expect(typeof v).toBe("string");
  });

  it("delivers a raw publisher's message (as from a Go service) with its headers", async () => {
    const t = topic("in");
    const b = await open();
    const got: BrokerEvent[] = [];
    await b.subscribe(t, (e) => void got.push(e));
    ch.publish("micro", t, Buffer.from('{"say":"hi"}\n'), {
      contentType: "application/json",
      headers: { "Content-Type": "application/json", "Micro-ID": "id-1", "X-Count": 42, "X-Flag": true },
    });
    // no headers at all, like `micro broker publish`: Micro-Topic comes from the routing key
    ch.publish("micro", t, Buffer.from([0, 1, 2, 255]));
    await eventually(() => expect(got).toHaveLength(2));
    const [first, second] = got;
    expect(first!.topic).toBe(t);
    expect(untext(first!.message.body)).toBe('{"say":"hi"}\n');
    expect(first!.message.header).toEqual({
      "Content-Type": "application/json",
      "Micro-ID": "id-1",
      "Micro-Topic": t,
      "X-Count": "42",
      "X-Flag": "true",
    });
    expect(second!.message.header).toEqual({ "Micro-Topic": t });
    expect([...second!.message.body]).toEqual([0, 1, 2, 255]);
  });

  it("subscribes with routing-key wildcards of the topic exchange", async () => {
    const base = topic("wild");
    const b = await open();
    const got: string[] = [];
    await b.subscribe(`${base}.*`, (e) => void got.push(e.topic));
    await b.publish(`${base}.created`, { header: {}, body: text("1") });
    await b.publish(`${base}.deleted`, { header: {}, body: text("2") });
    await eventually(() => expect(got.sort()).toEqual([`${base}.created`, `${base}.deleted`]));
  });

  it("delivers once per queue group, across processes, next to a broadcast subscriber", async () => {
    const t = topic("group");
    const q = `wire-group-${randomUUID().slice(0, 8)}`;
    const [a, b, pub] = [await open(), await open(), await open()];
    const group: string[][] = [[], []];
    const all: string[] = [];
    await a.subscribe(t, (e) => void group[0]!.push(untext(e.message.body)), { queue: q });
    await b.subscribe(t, (e) => void group[1]!.push(untext(e.message.body)), { queue: q });
    await b.subscribe(t, (e) => void all.push(untext(e.message.body)));
    for (let i = 0; i < 50; i++) await pub.publish(t, { header: {}, body: text(`m${i}`) });
    await eventually(() => expect(group[0]!.length + group[1]!.length).toBe(50));
    await eventually(() => expect(all).toHaveLength(50));
    await sleep(200);
    expect(new Set([...group[0]!, ...group[1]!]).size).toBe(50);
    expect(group[0]!.length + group[1]!.length).toBe(50);
    expect(group[0]!.length).toBeGreaterThan(0);
    expect(group[1]!.length).toBeGreaterThan(0);
  });

  it("nacks a failed message without requeue by default: it is not redelivered", async () => {
    const t = topic("nack");
    const q = `wire-nack-${randomUUID().slice(0, 8)}`;
    const b = await open();
    let calls = 0;
    await b.subscribe(
      t,
      () => {
        calls++;
        throw new Error("handler failure (expected by the test)");
      },
      { queue: q },
    );
    await b.publish(t, { header: {}, body: text("once") });
    await eventually(() => expect(calls).toBe(1));
    await sleep(300);
    expect(calls).toBe(1);
    // nothing waits in the queue either
    const check = await ch.checkQueue(q);
    expect(check.messageCount).toBe(0);
  });

  it("redelivers a failed message when requeueOnError is on, until the handler succeeds", async () => {
    const t = topic("requeue");
    const b = await open({ requeueOnError: true });
    const seen: boolean[] = [];
    let ok = 0;
    await b.subscribe(t, async (e) => {
      seen.push(true);
      if (seen.length < 3) throw new Error("transient failure (expected by the test)");
      ok++;
      expect(untext(e.message.body)).toBe("retry me");
    });
    await b.publish(t, { header: {}, body: text("retry me") });
    await eventually(() => expect(ok).toBe(1));
    await sleep(200);
    expect(seen).toHaveLength(3);
  });

  it("with autoAck off, the handler's nack requeues and an unsettled message stays unacked", async () => {
    const t = topic("manual");
    const q = `wire-manual-${randomUUID().slice(0, 8)}`;
    const b = await open({ requeueOnError: true });
    const events: BrokerEvent[] = [];
    const sub = await b.subscribe(t, (e) => void events.push(e), { queue: q, autoAck: false });
    await b.publish(t, { header: {}, body: text("hold") });
    await eventually(() => expect(events).toHaveLength(1));
    await events[0]!.nack!(); // requeued, delivered again
    await eventually(() => expect(events).toHaveLength(2));
    expect(events[1]!.message.header["Micro-Topic"]).toBe(t);
    await events[1]!.ack();
    await events[1]!.ack(); // a second settle is a no-op, not a channel error
    await b.publish(t, { header: {}, body: text("left unacked") });
    await eventually(() => expect(events).toHaveLength(3));
    // a second consumer on the queue keeps it alive while the subscriber goes, and receives the
    // unacked message once the subscriber's channel closes
    const redelivered: ConsumeMessage[] = [];
    await ch.consume(q, (m) => m && redelivered.push(m), { noAck: true });
    await sub.unsubscribe();
    await eventually(() => expect(redelivered.map((m) => m.content.toString())).toEqual(["left unacked"]));
    expect(redelivered[0]!.fields.redelivered).toBe(true);
  });

  it("a durable queue keeps messages while its subscriber is away", async () => {
    const t = topic("durable");
    const q = `wire-durable-${randomUUID().slice(0, 8)}`;
    try {
      const first = await open();
      const before: string[] = [];
      const sub = await first.subscribe(t, (e) => void before.push(untext(e.message.body)), {
        queue: q,
        durable: true,
      });
      await first.publish(t, { header: {}, body: text("a") });
      await eventually(() => expect(before).toEqual(["a"]));
      await sub.unsubscribe();
      await first.disconnect();
      const pub = await open();
      for (const m of ["b", "c", "d"]) await pub.publish(t, { header: {}, body: text(m) });
      expect((await ch.checkQueue(q)).messageCount).toBe(3);
      const second = await open();
      const after: string[] = [];
      await second.subscribe(t, (e) => void after.push(untext(e.message.body)), { queue: q, durable: true });
      await eventually(() => expect(after).toEqual(["b", "c", "d"]));
    } finally {
      await ch.deleteQueue(q);
    }
  });

  it("prefetch bounds the handlers running at once per subscription", async () => {
    const t = topic("prefetch");
    const b = await open({ prefetch: 3 });
    let running = 0;
    let peak = 0;
    let done = 0;
    await b.subscribe(t, async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(30);
      running--;
      done++;
    });
    for (let i = 0; i < 20; i++) await b.publish(t, { header: {}, body: text(String(i)) });
    await eventually(() => expect(done).toBe(20));
    expect(peak).toBe(3);
  });
});
