// Consumer groups and offsets: where subscriptions start, queue groups, at-least-once redelivery.
import type { BrokerEvent } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import { afterEach, expect, it } from "vitest";
import type { KafkaBroker } from "../src/index.js";
import { broker, rawKafka, sleep, text, topicName, untext, waitFor } from "./helpers.js";

describeWithServer("kafka", "kafka broker delivery", () => {
  const live: KafkaBroker[] = [];
  const ours = (partitions = 1) => {
    const b = broker({ partitions });
    live.push(b);
    return b;
  };
  afterEach(async () => {
    for (const b of live.splice(0)) await b.disconnect().catch(() => {});
  });
  const bodies = (events: BrokerEvent[]) => events.map((e) => untext(e.message.body));

  it("creates a missing topic with the configured partitions, on subscribe and on publish", async () => {
    const b = ours(3);
    const [subTopic, pubTopic] = [topicName("created-sub"), topicName("created-pub")];
    await b.subscribe(subTopic, () => {});
    await b.publish(pubTopic, { header: {}, body: text("x") });
    const admin = rawKafka().admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [subTopic, pubTopic] });
      expect(topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(
        [
          [subTopic, 3],
          [pubTopic, 3],
        ].sort(),
      );
    } finally {
      await admin.disconnect();
    }
  });

  it("starts a subscription without queue at the newest record", async () => {
    const b = ours();
    const topic = topicName("newest");
    await b.publish(topic, { header: {}, body: text("before") });
    const got: BrokerEvent[] = [];
    await b.subscribe(topic, (e) => void got.push(e));
    // published right after subscribe() resolved: must not be missed
    await b.publish(topic, { header: {}, body: text("after") });
    await waitFor(() => got.length >= 1, 20_000, "the message");
    await sleep(500);
    expect(bodies(got)).toEqual(["after"]);
  });

  it("starts a new queue group at the earliest record and resumes a known one where it stopped", async () => {
    const b = ours();
    const topic = topicName("resume");
    const queue = `q-${topic}`;
    await b.publish(topic, { header: {}, body: text("1") });
    const first: BrokerEvent[] = [];
    const s = await b.subscribe(topic, (e) => void first.push(e), { queue });
    await b.publish(topic, { header: {}, body: text("2") });
    await waitFor(() => first.length >= 2, 20_000, "two messages");
    await s.unsubscribe();
    await b.publish(topic, { header: {}, body: text("3") });
    const second: BrokerEvent[] = [];
    await b.subscribe(topic, (e) => void second.push(e), { queue });
    await waitFor(() => second.length >= 1, 20_000, "the message published while away");
    await sleep(500);
    expect(bodies(first)).toEqual(["1", "2"]);
    expect(bodies(second)).toEqual(["3"]);
  });

  it("delivers each message to one member of a queue group, and to every group", async () => {
    const [a, c, pub] = [ours(2), ours(2), ours(2)];
    const topic = topicName("groups");
    const [ga, gc, other] = [[], [], []] as BrokerEvent[][];
    await a.subscribe(topic, (e) => void ga!.push(e), { queue: `${topic}-workers` });
    await c.subscribe(topic, (e) => void gc!.push(e), { queue: `${topic}-workers` });
    await c.subscribe(topic, (e) => void other!.push(e), { queue: `${topic}-audit` });
    for (let i = 0; i < 20; i++) await pub.publish(topic, { header: {}, body: text(`m${i}`) });
    await waitFor(() => ga!.length + gc!.length >= 20 && other!.length >= 20, 20_000, "the deliveries");
    await sleep(500);
    const workers = [...bodies(ga!), ...bodies(gc!)];
    expect(workers.sort()).toEqual(bodies(other!).sort());
    expect(new Set(workers).size).toBe(20);
    expect(ga!.length).toBeGreaterThan(0);
    expect(gc!.length).toBeGreaterThan(0);
  });

  it("delivers a message again after its handler failed, in order, then moves on", async () => {
    const b = ours();
    const topic = topicName("redeliver");
    const seen: string[] = [];
    let failures = 0;
    await b.subscribe(topic, (e) => {
      const body = untext(e.message.body);
      seen.push(body);
      if (body === "a" && failures < 2) {
        failures++;
        throw new Error("handler failure (expected by the test)");
      }
    });
    await b.publish(topic, { header: {}, body: text("a") });
    await b.publish(topic, { header: {}, body: text("b") });
    await waitFor(() => seen.includes("b"), 20_000, "the second message");
    expect(seen).toEqual(["a", "a", "a", "b"]);
  });

  it("redelivers a nacked message, and an unacked one never committed goes to the next member", async () => {
    const [first, second] = [ours(), ours()];
    const topic = topicName("uncommitted");
    const queue = `q-${topic}`;
    const attempts: string[] = [];
    // always fails: nothing is ever committed for this group
    const s = await first.subscribe(
      topic,
      (e) => {
        attempts.push(untext(e.message.body));
        throw new Error("handler failure (expected by the test)");
      },
      { queue },
    );
    await first.publish(topic, { header: {}, body: text("work") });
    await waitFor(() => attempts.length >= 2, 20_000, "a redelivery");
    await s.unsubscribe();
    const got: BrokerEvent[] = [];
    const nacked: string[] = [];
    await second.subscribe(
      topic,
      async (e) => {
        if (nacked.length === 0) {
          nacked.push(untext(e.message.body));
          await e.nack?.();
          return;
        }
        got.push(e);
        await e.ack();
      },
      { queue, autoAck: false },
    );
    await waitFor(() => got.length >= 1, 20_000, "the message at the next member");
    expect(nacked).toEqual(["work"]);
    expect(bodies(got)).toEqual(["work"]);
  });
});
