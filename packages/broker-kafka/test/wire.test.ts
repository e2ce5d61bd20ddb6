// What a Go peer (or any Kafka tool) sees of our records, and what we make of theirs: checked with a
// plain kafkajs client on a real Kafka.
import type { BrokerEvent } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import type { Consumer, Producer } from "kafkajs";
import { afterEach, expect, it } from "vitest";
import type { KafkaBroker } from "../src/index.js";
import { broker, rawKafka, sleep, text, topicName, untext, waitFor } from "./helpers.js";

// The envelope a Go client's publish of {"say":"hello"} produces: JSON of go-micro's broker.Message, header
// keys sorted, Body standard base64 with padding (https://github.com/micro/go-micro/blob/v5.30.0/broker/broker.go)
const GO_ENVELOPE =
  '{"Header":{"Content-Type":"application/json","Micro-ID":"2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4","Micro-Topic":"events"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}';

describeWithServer("kafka", "kafka broker on the wire", () => {
  const brokers: KafkaBroker[] = [];
  const consumers: Consumer[] = [];
  const producers: Producer[] = [];
  const ours = () => {
    const b = broker();
    brokers.push(b);
    return b;
  };
  afterEach(async () => {
    for (const c of consumers.splice(0)) await c.disconnect().catch(() => {});
    for (const p of producers.splice(0)) await p.disconnect().catch(() => {});
    for (const b of brokers.splice(0)) await b.disconnect().catch(() => {});
  });
  async function rawProducer(): Promise<Producer> {
    const p = rawKafka().producer({ allowAutoTopicCreation: true });
    await p.connect();
    producers.push(p);
    return p;
  }

  it("publishes the go-micro envelope as the record value, the headers as record headers, no key", async () => {
    const b = ours();
    const topic = topicName("wire-out");
    await b.publish(topic, {
      header: {
        "Micro-Topic": "events",
        "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
        "Content-Type": "application/json",
      },
      body: text('{"say":"hello"}\n'),
    });
    const c = rawKafka().consumer({ groupId: `raw-${topic}` });
    consumers.push(c);
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    const seen: { key: Buffer | null; value: string; headers: Record<string, string> }[] = [];
    await c.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        seen.push({ key: message.key, value: message.value!.toString("utf8"), headers });
      },
    });
    await waitFor(() => seen.length >= 1, 20_000, "the record");
    expect(seen[0]!.key).toBeNull();
    expect(seen[0]!.value).toBe(GO_ENVELOPE);
    expect(seen[0]!.headers).toEqual({
      "Content-Type": "application/json",
      "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
      "Micro-Topic": "events",
    });
  });

  it("delivers a Go-style record: envelope decoded, Micro-Topic forced, record headers merged", async () => {
    const b = ours();
    const topic = topicName("wire-in");
    const got: BrokerEvent[] = [];
    await b.subscribe(topic, (e) => void got.push(e));
    const p = await rawProducer();
    await p.send({ topic, messages: [{ value: GO_ENVELOPE }] });
    await p.send({
      topic,
      messages: [
        {
          value: '{"Header":{"X-Both":"envelope","X-Envelope":"1"},"Body":"aGk="}',
          headers: { "X-Both": "record", "X-Record": Buffer.from("2") },
        },
      ],
    });
    await waitFor(() => got.length >= 2, 20_000, "both records");
    expect(got[0]!.topic).toBe(topic);
    expect(untext(got[0]!.message.body)).toBe('{"say":"hello"}\n');
    expect(got[0]!.message.header).toEqual({
      "Content-Type": "application/json",
      "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
      // the Kafka topic wins over what the envelope said
      "Micro-Topic": topic,
    });
    expect(untext(got[1]!.message.body)).toBe("hi");
    expect(got[1]!.message.header).toEqual({
      "X-Both": "record",
      "X-Envelope": "1",
      "X-Record": "2",
      "Micro-Topic": topic,
      // defaulted like go-micro's kafka plugin when absent
      "Content-Type": "application/json",
    });
  });

  it("uses the raw value when the envelope has no Body, and skips records that are not envelopes", async () => {
    const b = ours();
    const topic = topicName("wire-raw");
    const got: BrokerEvent[] = [];
    await b.subscribe(topic, (e) => void got.push(e));
    const p = await rawProducer();
    await p.send({ topic, messages: [{ value: "not json at all" }] });
    await p.send({ topic, messages: [{ value: '{"Body":"%%%"}' }] });
    await p.send({ topic, messages: [{ value: '{"Header":{"Content-Type":""}}' }] });
    await p.send({ topic, messages: [{ value: GO_ENVELOPE }] });
    await waitFor(() => got.length >= 2, 20_000, "the two decodable records");
    await sleep(500);
    expect(got).toHaveLength(2);
    expect(untext(got[0]!.message.body)).toBe('{"Header":{"Content-Type":""}}');
    // Go checks presence, not emptiness
    expect(got[0]!.message.header["Content-Type"]).toBe("");
    expect(untext(got[1]!.message.body)).toBe('{"say":"hello"}\n');
  });
});
