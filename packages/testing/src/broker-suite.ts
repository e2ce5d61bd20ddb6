// The conformance suite every Broker runs. Each test uses its own topic, so brokers that share state
// (one in-process instance, one registry) never see another test's messages.
import { randomUUID } from "node:crypto";
import type { Broker, BrokerEvent, BrokerSubscription, SubscribeOptions } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { sleep, text, untext, waitFor } from "./helpers.js";

export interface BrokerCapabilities {
  /** Competing consumers with `subscribe(..., {queue})` (default true). */
  queue?: boolean;
  /** Arbitrary header maps survive the trip (default true). */
  headers?: boolean;
  /** Any byte sequence survives as the body (default true). */
  binary?: boolean;
  /** `unsubscribe()` stops delivery (default true). */
  unsubscribe?: boolean;
  /** Messages in the no-loss/no-duplicate test; false skips it (default 1000). */
  bulk?: number | false;
  /** ms to wait after subscribing before publishing, for backends that propagate subscriptions (default 0). */
  settle?: number;
  /** ms to wait for expected deliveries (default 5000). */
  timeout?: number;
  /** ms to wait to be confident an unexpected message will not arrive (default 200). */
  quiet?: number;
}

/** A server of the broker's own that the restart test may stop and start (see privateServer). */
export interface RestartableServer {
  /** host:port */
  address: string;
  start(options?: { fresh?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

export interface BrokerRestart {
  /** Starts a private server; the test stops and restarts it (keeping its data) and disposes of it. */
  server: () => Promise<RestartableServer>;
  /** A broker, not yet connected, using that server. */
  create: (address: string) => Broker | Promise<Broker>;
  /** ms for delivery to resume once the server is back (default 30 000). */
  resume?: number;
}

export interface BrokerSuiteOptions {
  /**
   * A broker, not yet connected. Called once per participant, so multi-subscriber tests act like
   * separate processes; instances must share their backend (same server, same registry...).
   */
  create: () => Broker | Promise<Broker>;
  capabilities?: BrokerCapabilities;
  /** Runs "reconnects after the server restarts"; without it that test is skipped, saying why. */
  restart?: BrokerRestart;
}

interface Inbox {
  events: BrokerEvent[];
  handler: (event: BrokerEvent) => void;
}

function inbox(): Inbox {
  const events: BrokerEvent[] = [];
  return { events, handler: (e) => void events.push(e) };
}

export function testBroker(name: string, options: BrokerSuiteOptions): void {
  const caps = options.capabilities ?? {};
  const timeout = caps.timeout ?? 5000;
  const quiet = caps.quiet ?? 200;
  const settle = () => (caps.settle ? sleep(caps.settle) : Promise.resolve());

  describe(`broker conformance: ${name}`, () => {
    const live: Broker[] = [];
    const subs: BrokerSubscription[] = [];

    // Connected brokers are disconnected after each test even when it fails, so sockets and timers
    // never leak into the next one.
    async function broker(): Promise<Broker> {
      const b = await options.create();
      await b.connect();
      live.push(b);
      return b;
    }

    async function subscribe(b: Broker, topic: string, box: Inbox, opts?: SubscribeOptions) {
      const s = await b.subscribe(topic, box.handler, opts);
      subs.push(s);
      return s;
    }

    afterEach(async () => {
      for (const s of subs.splice(0)) await s.unsubscribe().catch(() => {});
      for (const b of live.splice(0)) await b.disconnect().catch(() => {});
    });

    const topicName = (what: string) => `conformance.${what}.${randomUUID().slice(0, 8)}`;

    it("has a name and an address once connected", async () => {
      const b = await broker();
      expect(typeof b.name).toBe("string");
      expect(b.name.length).toBeGreaterThan(0);
      expect(typeof b.address()).toBe("string");
    });

    it("delivers a published message to a subscriber", async () => {
      const b = await broker();
      const topic = topicName("pubsub");
      const box = inbox();
      const sub = await subscribe(b, topic, box);
      expect(sub.topic).toBe(topic);
      await settle();
      await b.publish(topic, { header: { "Content-Type": "text/plain" }, body: text("hello") });
      await waitFor(() => box.events.length >= 1, timeout, "the message");
      const [e] = box.events;
      expect(e!.topic).toBe(topic);
      expect(untext(e!.message.body)).toBe("hello");
      expect(e!.message.header["Content-Type"]).toBe("text/plain");
      await e!.ack(); // a no-op with autoAck, but must not throw
      await sleep(quiet);
      expect(box.events).toHaveLength(1);
    });

    it("does not deliver messages of other topics", async () => {
      const b = await broker();
      const topic = topicName("isolated");
      const box = inbox();
      await subscribe(b, topic, box);
      await settle();
      await b.publish(`${topic}.other`, { header: {}, body: text("not for you") });
      await b.publish(topic, { header: {}, body: text("for you") });
      await waitFor(() => box.events.length >= 1, timeout, "the message");
      await sleep(quiet);
      expect(box.events.map((e) => untext(e.message.body))).toEqual(["for you"]);
    });

    it("resolves a publish that nobody listens to", async () => {
      const b = await broker();
      await b.publish(topicName("nobody"), { header: {}, body: text("void") });
    });

    it("fans out to every subscriber, on one and on several brokers", async () => {
      const [a, b, pub] = [await broker(), await broker(), await broker()];
      const topic = topicName("fanout");
      const boxes = [inbox(), inbox(), inbox()];
      await subscribe(a, topic, boxes[0]!);
      await subscribe(a, topic, boxes[1]!);
      await subscribe(b, topic, boxes[2]!);
      await settle();
      for (let i = 0; i < 5; i++) await pub.publish(topic, { header: {}, body: text(`m${i}`) });
      await waitFor(
        () => boxes.every((x) => x.events.length >= 5),
        timeout,
        "every subscriber to get 5 messages",
      );
      await sleep(quiet);
      for (const x of boxes) {
        expect(x.events.map((e) => untext(e.message.body)).sort()).toEqual(["m0", "m1", "m2", "m3", "m4"]);
      }
    });

    it.skipIf(caps.queue === false)("delivers each message once per queue group", async () => {
      const [a, b, c, pub] = [await broker(), await broker(), await broker(), await broker()];
      const topic = topicName("queue");
      const group = [inbox(), inbox(), inbox(), inbox()];
      const other = inbox();
      const everyone = inbox();
      const q = `q-${randomUUID().slice(0, 8)}`;
      const s = await subscribe(a, topic, group[0]!, { queue: q });
      expect(s.queue).toBe(q);
      await subscribe(a, topic, group[1]!, { queue: q });
      await subscribe(b, topic, group[2]!, { queue: q });
      await subscribe(c, topic, group[3]!, { queue: q });
      await subscribe(c, topic, other, { queue: `${q}-other` });
      await subscribe(b, topic, everyone);
      await settle();
      const n = 40;
      for (let i = 0; i < n; i++) await pub.publish(topic, { header: {}, body: text(`m${i}`) });
      const inGroup = () => group.reduce((sum, x) => sum + x.events.length, 0);
      await waitFor(
        () => inGroup() >= n && other.events.length >= n && everyone.events.length >= n,
        timeout,
        `${n} deliveries to each group`,
      );
      await sleep(quiet);
      const got = group.flatMap((x) => x.events.map((e) => untext(e.message.body)));
      expect(got).toHaveLength(n);
      expect(new Set(got).size).toBe(n);
      expect(other.events).toHaveLength(n);
      expect(everyone.events).toHaveLength(n);
      // competing consumers share the work rather than one taking everything
      expect(group.filter((x) => x.events.length > 0).length).toBeGreaterThan(1);
    });

    it.skipIf(caps.headers === false)("round-trips headers", async () => {
      const b = await broker();
      const topic = topicName("headers");
      const box = inbox();
      await subscribe(b, topic, box);
      await settle();
      const header: Record<string, string> = {
        "Content-Type": "application/json",
        "Micro-ID": randomUUID(),
        "X-Empty": "",
        "x-lower": "kept as is",
        "X-Unicode": "héllo wörld ✓ <&>",
        "X-Quotes": '"quoted" and \\ back',
      };
      await b.publish(topic, { header, body: text("{}") });
      await waitFor(() => box.events.length >= 1, timeout, "the message");
      const got = box.events[0]!.message.header;
      for (const [k, v] of Object.entries(header)) expect(got[k], k).toBe(v);
    });

    it.skipIf(caps.binary === false)("round-trips binary bodies, empty ones included", async () => {
      const b = await broker();
      const topic = topicName("binary");
      const box = inbox();
      await subscribe(b, topic, box);
      await settle();
      const all = new Uint8Array(256).map((_, i) => i);
      const big = new Uint8Array(256 * 1024).map((_, i) => (i * 7919) % 251);
      const bodies = [all, new Uint8Array(0), big];
      for (const [i, body] of bodies.entries()) await b.publish(topic, { header: { n: String(i) }, body });
      await waitFor(() => box.events.length >= bodies.length, timeout, "the messages");
      const byN = new Map(box.events.map((e) => [e.message.header.n, e.message.body]));
      for (const [i, body] of bodies.entries()) {
        const got = byN.get(String(i));
        expect(got, `body ${i}`).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(got!).equals(Buffer.from(body)), `body ${i}`).toBe(true);
      }
    });

    it.skipIf(caps.unsubscribe === false)("stops delivery after unsubscribe", async () => {
      const [b, pub] = [await broker(), await broker()];
      const topic = topicName("unsub");
      const gone = inbox();
      const stays = inbox();
      const sub = await subscribe(b, topic, gone);
      await subscribe(b, topic, stays);
      await settle();
      await pub.publish(topic, { header: {}, body: text("one") });
      await waitFor(() => gone.events.length >= 1 && stays.events.length >= 1, timeout, "the first message");
      await sub.unsubscribe();
      await sub.unsubscribe(); // twice is harmless
      await settle();
      await pub.publish(topic, { header: {}, body: text("two") });
      await waitFor(() => stays.events.length >= 2, timeout, "the second message");
      await sleep(quiet);
      expect(gone.events.map((e) => untext(e.message.body))).toEqual(["one"]);
    });

    it("lets a handler ack itself without autoAck", async () => {
      const b = await broker();
      const topic = topicName("ack");
      const acked: string[] = [];
      const s = await b.subscribe(
        topic,
        async (e) => {
          await e.ack();
          acked.push(untext(e.message.body));
        },
        { autoAck: false },
      );
      subs.push(s);
      await settle();
      await b.publish(topic, { header: {}, body: text("ack me") });
      await waitFor(() => acked.length >= 1, timeout, "the ack");
      expect(acked).toEqual(["ack me"]);
    });

    it("keeps delivering after a handler throws", async () => {
      const b = await broker();
      const topic = topicName("throws");
      let calls = 0;
      const s = await b.subscribe(topic, () => {
        calls++;
        throw new Error("handler failure (expected by the test)");
      });
      subs.push(s);
      await settle();
      await b.publish(topic, { header: {}, body: text("1") });
      await b.publish(topic, { header: {}, body: text("2") });
      await waitFor(() => calls >= 2, timeout, "both deliveries");
    });

    const bulk = caps.bulk === undefined ? 1000 : caps.bulk;
    it.skipIf(bulk === false)(
      `delivers ${bulk || 0} messages, none lost or duplicated`,
      async () => {
        const n = bulk as number;
        const [b, pub] = [await broker(), await broker()];
        const topic = topicName("bulk");
        const box = inbox();
        await subscribe(b, topic, box);
        await settle();
        // bounded concurrency: realistic for a busy publisher without opening n connections at once
        let next = 0;
        const worker = async () => {
          while (next < n) {
            const i = next++;
            await pub.publish(topic, { header: { seq: String(i) }, body: text(`message ${i}`) });
          }
        };
        await Promise.all(Array.from({ length: 16 }, worker));
        await waitFor(() => box.events.length >= n, timeout * 4, `${n} messages`);
        await sleep(quiet);
        expect(box.events).toHaveLength(n);
        const seqs = new Set(box.events.map((e) => e.message.header.seq));
        expect(seqs.size).toBe(n);
        for (const e of box.events) expect(untext(e.message.body)).toBe(`message ${e.message.header.seq}`);
      },
      60_000,
    );

    const restartTitle = "reconnects after the server restarts: subscriptions (plain and queue) resume";
    const restart = options.restart;
    if (!restart) {
      it.skip(`${restartTitle} [skipped: no private server given (options.restart)]`, () => {});
    } else {
      const resume = restart.resume ?? 30_000;
      it(
        restartTitle,
        async () => {
          const server = await restart.server();
          const brokers: Broker[] = [];
          const make = async () => {
            const b = await restart.create(server.address);
            brokers.push(b);
            await b.connect();
            return b;
          };
          try {
            const [sub, pub] = [await make(), await make()];
            const topic = topicName("restart");
            const plain = inbox();
            const queued = inbox();
            await sub.subscribe(topic, plain.handler);
            await sub.subscribe(topic, queued.handler, { queue: `q-${randomUUID().slice(0, 8)}` });
            await settle();
            await pub.publish(topic, { header: {}, body: text("before") });
            await waitFor(
              () => plain.events.length >= 1 && queued.events.length >= 1,
              timeout,
              "the message before the restart",
            );

            await server.stop();
            await server.start({ fresh: false });
            const up = Date.now();
            // the publisher and the subscriber reconnect on their own schedules: publish until both
            // subscriptions have a message from after the restart
            const resumed = (box: Inbox) =>
              box.events.some((e) => untext(e.message.body).startsWith("after"));
            for (let n = 0; !(resumed(plain) && resumed(queued)); n++) {
              if (Date.now() - up > resume) {
                throw new Error(
                  `no delivery ${resume} ms after the restart (plain: ${resumed(plain)}, queue: ${resumed(queued)})`,
                );
              }
              await pub.publish(topic, { header: {}, body: text(`after ${n}`) }).catch(() => {});
              await sleep(250);
            }
            console.info(
              `[measured] ${name}: both subscriptions delivering ${Date.now() - up} ms after the restart`,
            );
          } finally {
            for (const b of brokers) await b.disconnect().catch(() => {});
            await server.dispose();
          }
        },
        resume + 120_000,
      );
    }
  });
}
