// What goes over NATS, checked with the raw client: the exact go-micro envelope on subject = topic
// without NATS headers; envelopes a Go publisher sends are decoded; queue groups deliver once.
import type { BrokerEvent } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterEach, expect, it } from "vitest";
import type { NatsBroker } from "../src/index.js";
import { broker, rawClient, sleep, text, untext, waitFor } from "./helpers.js";

describeWithServer("nats", "nats broker on the wire", () => {
  const open: (NatsBroker | NatsConnection)[] = [];
  afterEach(async () => {
    for (const x of open.splice(0)) await ("drain" in x ? x.close() : x.disconnect()).catch(() => {});
  });
  const track = <T extends NatsBroker | NatsConnection>(x: T): T => {
    open.push(x);
    return x;
  };

  it("publishes go-micro's exact envelope bytes on subject = topic, without NATS headers", async () => {
    const raw = track(await rawClient());
    const got: { subject: string; data: string; headers: boolean }[] = [];
    raw.subscribe("wire.events", {
      callback: (_e, m) => void got.push({ subject: m.subject, data: m.string(), headers: !!m.headers }),
    });
    await raw.flush();
    const b = track(broker());
    await b.connect();
    // the envelope go-micro's nats broker publishes: header keys sorted, body standard base64 with padding
    await b.publish("wire.events", {
      header: {
        "Micro-Topic": "events",
        "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
        "Content-Type": "application/json",
      },
      body: text('{"say":"hello"}\n'),
    });
    await waitFor(() => got.length === 1);
    expect(got[0]).toEqual({
      subject: "wire.events",
      headers: false,
      data: '{"Header":{"Content-Type":"application/json","Micro-ID":"2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4","Micro-Topic":"events"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}',
    });
  });

  it("escapes <, > and & in the envelope as Go's encoding/json does", async () => {
    const raw = track(await rawClient());
    const got: string[] = [];
    raw.subscribe("wire.escape", { callback: (_e, m) => void got.push(m.string()) });
    await raw.flush();
    const b = track(broker());
    await b.publish("wire.escape", { header: { X: "<a&b>" }, body: new Uint8Array(0) });
    await waitFor(() => got.length === 1);
    expect(got[0]).toBe('{"Header":{"X":"\\u003ca\\u0026b\\u003e"},"Body":""}');
  });

  it("decodes what a Go publisher sends, and drops what is not an envelope", async () => {
    const b = track(broker());
    const events: BrokerEvent[] = [];
    await b.subscribe("wire.fromgo", (e) => void events.push(e));
    const raw = track(await rawClient());
    raw.publish("wire.fromgo", "not json");
    raw.publish("wire.fromgo", '{"Header":{"Micro-Topic":"wire.fromgo"},"Body":"aGk="}');
    raw.publish("wire.fromgo", '{"Header":null,"Body":null}');
    await waitFor(() => events.length === 2);
    await sleep(100);
    expect(events).toHaveLength(2);
    expect(events[0]!.topic).toBe("wire.fromgo");
    expect(events[0]!.message.header).toEqual({ "Micro-Topic": "wire.fromgo" });
    expect(untext(events[0]!.message.body)).toBe("hi");
    expect(events[1]!.message).toEqual({ header: {}, body: new Uint8Array(0) });
  });

  it("a queue group is a NATS queue group: a raw queue subscriber in it shares the work", async () => {
    const raw = track(await rawClient());
    let rawCount = 0;
    raw.subscribe("wire.queue", { queue: "workers", callback: () => void rawCount++ });
    await raw.flush();
    const [a, pub] = [track(broker()), track(broker())];
    let ours = 0;
    const sub = await a.subscribe("wire.queue", () => void ours++, { queue: "workers" });
    expect(sub.queue).toBe("workers");
    for (let i = 0; i < 200; i++) await pub.publish("wire.queue", { header: {}, body: text(String(i)) });
    await waitFor(() => rawCount + ours >= 200);
    await sleep(100);
    expect(rawCount + ours).toBe(200);
    expect(rawCount).toBeGreaterThan(0);
    expect(ours).toBeGreaterThan(0);
  });

  it("reports the connected server as its address", async () => {
    const b = track(broker());
    expect(b.address()).toMatch(/^nats:\/\//);
    await b.connect();
    expect(b.address()).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
  });

  it("on a shared connection, disconnect() ends its subscriptions and leaves the connection open", async () => {
    const shared = track(await rawClient());
    const b = broker({ connection: shared });
    const got: string[] = [];
    await b.subscribe("wire.shared", (e) => void got.push(untext(e.message.body)));
    await b.publish("wire.shared", { header: {}, body: text("1") });
    await waitFor(() => got.length === 1);
    await b.disconnect();
    expect(shared.isClosed()).toBe(false);
    shared.publish("wire.shared", '{"Header":{},"Body":"Mg=="}');
    await shared.flush();
    await sleep(100);
    expect(got).toEqual(["1"]);
  });

  it("a failing handler does not stop later deliveries", async () => {
    const b = track(broker());
    const seen: string[] = [];
    await b.subscribe("wire.fail", async (e) => {
      seen.push(untext(e.message.body));
      throw new Error("boom");
    });
    await b.publish("wire.fail", { header: {}, body: text("1") });
    await b.publish("wire.fail", { header: {}, body: text("2") });
    await waitFor(() => seen.length === 2);
  });
});
