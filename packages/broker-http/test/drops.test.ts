// Messages a subscriber did not take — its process was killed, or its handler threw — are dropped,
// as in go-micro, but no longer silently: the publisher counts them (stats()), warns once per node
// (then sums every 10 s), and with requireDelivery its publish() rejects when no subscriber took the
// message. Subscribers run in their own processes (test/support/subscriber.mjs, the built package).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLogger, isMicroError, type Logger, type Service, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { JsonLinesProcess } from "@micro/testing/helpers";
import { afterEach, describe, expect, it } from "vitest";
import { DropLog } from "../src/drop-log.js";
import { HttpBroker } from "../src/http-broker.js";
import { sleep, text, waitFor } from "./helpers.js";

const script = fileURLToPath(new URL("./support/subscriber.mjs", import.meta.url));
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A subscriber process for `topic`, its record registered in `registry` as its own broker would. */
async function subscriberProcess(registry: MemoryRegistry, topic: string, mode: "ok" | "throw" = "ok") {
  const p = new JsonLinesProcess(
    spawn(process.execPath, [script, topic, mode], { stdio: ["ignore", "pipe", "pipe"] }),
    {
      name: `subscriber of ${topic}`,
    },
  );
  cleanup.push(() => p.stop("SIGKILL"));
  const line = await p.waitFor((l) => l.event === "subscribed");
  const service = line.service as Service;
  await registry.register(service);
  return { p, nodeId: service.nodes[0]!.id, got: () => p.lines.filter((l) => l.event === "got").length };
}

function broker(registry: MemoryRegistry, extra: Partial<ConstructorParameters<typeof HttpBroker>[0]> = {}) {
  const b = new HttpBroker({ registry, logger: silentLogger, retries: 1, ...extra });
  cleanup.push(() => b.disconnect());
  return b;
}

function warnings(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: "warn", write: (l) => void lines.push(l) }), lines };
}

const msg = (s: string) => ({ header: {}, body: text(s) });

describe("dropped messages", () => {
  it("a killed subscriber: publish() resolves, each lost message is counted, the node is warned about once", async () => {
    const registry = new MemoryRegistry();
    const sub = await subscriberProcess(registry, "orders");
    // a live broadcast subscriber of the same topic, in this process
    const live = broker(registry);
    await live.connect();
    let liveGot = 0;
    await live.subscribe("orders", () => void liveGot++);
    const log = warnings();
    const pub = broker(registry, { logger: log.logger });
    for (let i = 0; i < 20; i++) await pub.publish("orders", msg(`before ${i}`));
    await waitFor(() => sub.got() === 20);
    sub.p.kill();
    await sub.p.exited;
    for (let i = 0; i < 200; i++) await pub.publish("orders", msg(`after ${i}`));
    await waitFor(() => pub.stats().retrying === 0, 3000);
    expect(liveGot).toBe(220);
    expect(pub.stats()).toEqual({ published: 220, delivered: 240, dropped: 200, unrouted: 0, retrying: 0 });
    const dropped = log.lines.filter((l) => l.includes("dropped"));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(
      new RegExp(
        `WARN .*http broker: dropped a message for orders to ${sub.nodeId} at 127\\.0\\.0\\.1:\\d+: `,
      ),
    );
    // after three failures in a row the node is passed over: its messages are dropped without a POST
    expect(log.lines.filter((l) => l.includes("passing it over"))).toHaveLength(1);
    expect(log.lines).toHaveLength(2);
  });

  it("a handler that throws: the subscriber answers 500, the message is dropped and not sent again", async () => {
    const registry = new MemoryRegistry();
    const sub = await subscriberProcess(registry, "payments", "throw");
    const log = warnings();
    const pub = broker(registry, { logger: log.logger });
    for (let i = 0; i < 5; i++) await pub.publish("payments", msg(String(i)));
    await sleep(300); // a retry would have come by now
    expect(sub.got()).toBe(5);
    expect(pub.stats()).toMatchObject({ published: 5, delivered: 0, dropped: 5, retrying: 0 });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain(`dropped a message for payments to ${sub.nodeId}`);
    expect(log.lines[0]).toContain("answered 500: subscriber of payments failed");
  });

  it("publishing to a topic nobody subscribes to is counted apart: not a loss", async () => {
    const pub = broker(new MemoryRegistry());
    await pub.publish("nobody", msg("x"));
    expect(pub.stats()).toMatchObject({ published: 1, unrouted: 1, dropped: 0 });
  });

  describe("requireDelivery", () => {
    const rejection = async (p: Promise<void>) => {
      const err = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMicroError(err), String(err)).toBe(true);
      return err as { id: string; code: number; detail: string };
    };

    it("rejects with a 404 MicroError when there is no subscriber", async () => {
      const err = await rejection(
        broker(new MemoryRegistry(), { requireDelivery: true }).publish("none", msg("x")),
      );
      expect(err).toMatchObject({ id: "go.micro.broker", code: 404, detail: "publish none: no subscriber" });
    });

    it("rejects with a 503 MicroError when the only subscriber is dead, after its retries", async () => {
      const registry = new MemoryRegistry();
      const sub = await subscriberProcess(registry, "audit");
      sub.p.kill();
      await sub.p.exited;
      const pub = broker(registry, { requireDelivery: true });
      const err = await rejection(pub.publish("audit", msg("x")));
      expect(err).toMatchObject({ id: "go.micro.broker", code: 503 });
      expect(err.detail).toMatch(
        /^publish audit: no subscriber took the message \(unreachable: connect ECONNREFUSED/,
      );
      // nothing is left to retry in the background: the caller owns the message now
      expect(pub.stats()).toMatchObject({ published: 1, delivered: 0, dropped: 1, retrying: 0 });
    });

    it("rejects when the subscriber's handler throws", async () => {
      const registry = new MemoryRegistry();
      const sub = await subscriberProcess(registry, "ledger", "throw");
      const err = await rejection(broker(registry, { requireDelivery: true }).publish("ledger", msg("x")));
      expect(err).toMatchObject({ code: 503 });
      expect(err.detail).toBe(
        "publish ledger: no subscriber took the message (answered 500: subscriber of ledger failed)",
      );
      expect(sub.got()).toBe(1);
    });

    it("resolves once one subscriber took it; the one that missed it is still counted", async () => {
      const registry = new MemoryRegistry();
      const dead = await subscriberProcess(registry, "mail");
      dead.p.kill();
      await dead.p.exited;
      const alive = await subscriberProcess(registry, "mail");
      const pub = broker(registry, { requireDelivery: true });
      await pub.publish("mail", msg("x"));
      expect(alive.got()).toBe(1);
      expect(pub.stats()).toMatchObject({ published: 1, delivered: 1, dropped: 1, retrying: 0 });
    });
  });
});

describe("DropLog", () => {
  it("warns at the first drop to a node, then sums that node's drops once per interval", async () => {
    const log = warnings();
    const drops = new DropLog(log.logger, 100);
    const a = { id: "t-a", address: "127.0.0.1:1", metadata: {} };
    const b = { id: "t-b", address: "127.0.0.1:2", metadata: {} };
    drops.dropped(a, "t", "answered 500");
    drops.dropped(b, "t", "answered 404");
    for (let i = 0; i < 50; i++) drops.dropped(a, i % 2 ? "t" : "u", "unreachable");
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatch(
      /dropped a message for t to t-a at 127\.0\.0\.1:1: answered 500 \(further drops/,
    );
    await waitFor(() => log.lines.length === 3, 1000);
    expect(log.lines[2]).toMatch(
      /dropped 50 more messages to t-a at 127\.0\.0\.1:1 since the last warning \(topics u, t; last: unreachable\)/,
    );
    // a quiet interval: the next drop is reported at once again
    await sleep(250);
    drops.dropped(a, "t", "answered 500");
    expect(log.lines).toHaveLength(4);
    drops.dropped(a, "t", "answered 500");
    drops.close();
    expect(log.lines).toHaveLength(5);
    expect(log.lines[4]).toContain("dropped 1 more message to t-a");
  });
});
