// The outbox against a real nats-server: what is published arrives once and in order, whether it
// went to the client at once or waited for the end of the turn; what a closed connection refuses at
// hand-over is reported, not thrown at a caller who has moved on.
import { describeWithServer, resolveServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterEach, expect, it } from "vitest";
import { connectNats, normalizeServers, Outbox } from "../src/index.js";

const connect = () =>
  connectNats({
    servers: normalizeServers([resolveServer("nats").address]),
    name: "micro-test",
    errorId: "go.micro.test",
    what: "nats test",
  });
const text = new TextEncoder();
const turn = () => new Promise((r) => setImmediate(r));

describeWithServer("nats", "outbox", () => {
  const open: NatsConnection[] = [];
  afterEach(async () => {
    for (const nc of open.splice(0)) await nc.close().catch(() => {});
  });

  it("delivers in order across direct hand-overs, queued ones, full queues and turns", async () => {
    const [sub, pub] = [await connect(), await connect()];
    open.push(sub, pub);
    const got: number[] = [];
    sub.subscribe("outbox.order", { callback: (_e, m) => void got.push(Number(m.string())) });
    await sub.flush();
    const outbox = new Outbox(pub);
    let n = 0;
    const send = () => outbox.push("outbox.order", text.encode(String(n++)), "outbox.reply");
    for (let round = 0; round < 20; round++) {
      send(); // the turn's first: to the client at once
      for (let i = 0; i < 5; i++) {
        await Promise.resolve(); // after the client's write: queued
        send();
      }
      for (let i = 0; i < 1500; i++) send(); // more than one queue's worth in a row
      if (round % 2) await turn();
    }
    await turn();
    await pub.flush();
    const deadline = Date.now() + 10_000;
    while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("reports the queued messages a connection closed in the meantime refused", async () => {
    const pub = await connect();
    const lost: number[] = [];
    const outbox = new Outbox(pub, { onLost: (count) => void lost.push(count) });
    outbox.push("outbox.lost", text.encode("first")); // handed over at once
    await Promise.resolve();
    await Promise.resolve();
    outbox.push("outbox.lost", text.encode("second"));
    outbox.push("outbox.lost", text.encode("third"));
    const closing = pub.close();
    await turn();
    await closing;
    expect(lost).toEqual([2]);
  });
});
