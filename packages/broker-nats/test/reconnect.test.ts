// Publishing across a nats-server restart: a numbered sequence is published at a steady rate while
// the server stops and starts again (with its JetStream data), and every number whose publish()
// resolved must reach a durable subscriber; duplicates are allowed (at-least-once) and reported.
// Before the outbox kept messages, everything published between the disconnect and the reconnect
// was lost although publish() had resolved.
import { isMicroError, silentLogger } from "@micro/core";
import { describeWithPrivateServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { describe, expect, it } from "vitest";
import { NatsBroker } from "../src/index.js";
import { sleep, text, untext, waitFor } from "./helpers.js";

describeWithPrivateServer("nats", "publishing across a nats-server restart", (nats) => {
  it("delivers every message whose publish() resolved, published before, during and after the outage", async () => {
    const options = { addresses: [nats().address], logger: silentLogger };
    // what the consumer had sent towards the subscriber when the server stopped is redelivered after
    // the ack wait: a short one, so that the test need not wait 30 s for it
    const sub = new NatsBroker({ ...options, jetstream: { ackWait: 2000 } });
    const pub = new NatsBroker(options);
    const received = new Map<number, number>();
    await sub.subscribe(
      "restart.seq",
      (e) => {
        const n = Number(untext(e.message.body));
        received.set(n, (received.get(n) ?? 0) + 1);
      },
      { durable: true, queue: "seq" },
    );
    const acked: number[] = [];
    const rejected: number[] = [];
    let next = 0;
    let publishing = true;
    // 200 messages a second, each publish awaited by nobody but its own bookkeeping
    const publisher = (async () => {
      while (publishing) {
        const n = next++;
        pub.publish("restart.seq", { header: {}, body: text(String(n)) }).then(
          () => void acked.push(n),
          () => void rejected.push(n),
        );
        await sleep(5);
      }
    })();
    try {
      await waitFor(() => received.size >= 100, 10_000, "deliveries before the restart");
      await nats().stop();
      const down = next;
      await sleep(300); // published into the void: the client is reconnecting
      await nats().start({ fresh: false });
      await sleep(1500);
      publishing = false;
      await publisher;
      await sleep(50);
      expect(rejected).toEqual([]);
      expect(acked.length).toBe(next);
      await waitFor(() => acked.every((n) => received.has(n)), 20_000, "every acked message").catch(() => {});
      const lost = acked.filter((n) => !received.has(n));
      const duplicates = [...received.values()].reduce((a, c) => a + c - 1, 0);
      console.info(
        `[measured] ${acked.length} acked (${next - down} published after the server stopped at #${down}), ${lost.length} lost ${JSON.stringify(lost.slice(0, 10))}, ${duplicates} duplicates`,
      );
      expect(lost).toEqual([]);
    } finally {
      publishing = false;
      await publisher;
      await pub.disconnect();
      await sub.disconnect();
    }
  }, 60_000);
});

describe("the reconnect buffer's limit", () => {
  it("publish() rejects with a 503 once the messages kept while disconnected would exceed it", async () => {
    // a connection whose client is not connected (what the outbox reads), handed to the broker
    const down = {
      protocol: { connected: false, transport: {} },
      isClosed: () => false,
      isDraining: () => false,
      publish: () => {
        throw new Error("not expected: nothing goes to the client while it is disconnected");
      },
    } as unknown as NatsConnection;
    const b = new NatsBroker({ connection: down, logger: silentLogger, reconnectBufferSize: 80 });
    await b.publish("t", { header: {}, body: text("kept") }); // 32 bytes with its envelope and subject
    await b.publish("t", { header: {}, body: text("kept") });
    const err = await b.publish("t", { header: {}, body: text("kept") }).catch((e: unknown) => e);
    expect(isMicroError(err) && [err.id, err.code]).toEqual(["go.micro.broker", 503]);
    expect((err as Error).message).toMatch(
      /^nats broker: not connected to nats and the reconnect buffer is full/,
    );
  });
});
