// A broker restart under a steady publisher and a durable subscriber, each in its own process:
// every message publish() acknowledged must reach the subscriber once the broker is back
// (duplicates are allowed: at-least-once); what publish() rejected the publisher knows about.
import { setTimeout as sleep } from "node:timers/promises";
import type { BrokerKind } from "../peers/brokers.js";
import { Child } from "../proc/child.js";
import { countMissing, countRanges, difference, type Ranges } from "../ranges.js";
import type { BrokerFigures } from "../results.js";
import { SERVER_URLS, type ServerName } from "../servers/instances.js";
import { peerScript, type ScenarioContext } from "./context.js";

interface Setup {
  server: ServerName;
  label: string;
  setup: string;
  note?: string;
}

export const BROKER_SETUPS: Record<BrokerKind, Setup> = {
  nats: {
    server: "nats",
    label: "NATS",
    setup: "JetStream durable consumer (`durable: true`, queue), file storage; publish = core NATS",
    note:
      "our NATS broker publishes with core NATS, so publish() resolves when the client has queued the " +
      "message, not when JetStream stored it: there is no broker ack to count, and 'acked' here means " +
      "publish() resolved",
  },
  rabbitmq: {
    server: "rabbitmq",
    label: "RabbitMQ",
    setup: "durable queue, durable exchange, persistent messages, publisher confirms",
  },
  "rabbitmq-defaults": {
    server: "rabbitmq",
    label: "RabbitMQ (defaults)",
    setup: "durable queue; exchange not durable and messages not persistent (the defaults, as go-micro)",
    note: "with the defaults a restart loses what waited in the queue and, until the subscriber re-binds, what was routed to the re-declared exchange",
  },
  kafka: {
    server: "kafka",
    label: "Kafka",
    setup: "consumer group (queue), acks=all, offsets committed after the handler",
  },
};

export async function brokerScenario(ctx: ScenarioContext, kind: BrokerKind): Promise<BrokerFigures> {
  const { budget: b, instances } = ctx;
  const s = BROKER_SETUPS[kind];
  const id = Date.now();
  const peer = { kind, url: SERVER_URLS[s.server], topic: `chaos.seq.${kind}.${id}`, queue: `chaos_q_${id}` };
  const sub = Child.node(`sub ${kind}`, peerScript("broker-sub"), [JSON.stringify(peer)]);
  let pub: Child | undefined;
  try {
    await sub.waitFor((l) => l.event === "ready", 90_000, "the subscription");
    const maxMs = b.brokerBeforeMs + b.brokerAfterMs + 180_000;
    pub = Child.node(`pub ${kind}`, peerScript("broker-pub"), [
      JSON.stringify({ ...peer, rate: b.publishRate, window: 32, maxMs }),
    ]);
    const pubStartedAt = Number(
      (await pub.waitFor((l) => l.event === "started", 60_000, "the publisher")).at,
    );
    await sleep(b.brokerBeforeMs);
    const stopAt = Date.now();
    ctx.log(`${s.label}: restarting`);
    await instances.stop(s.server);
    await instances.start(s.server, { fresh: false });
    const readyAt = Date.now();
    ctx.log(`${s.label}: back after ${readyAt - stopAt} ms`);
    await sleep(b.brokerAfterMs);
    pub.send("stop");
    const done = await pub.waitFor((l) => l.event === "done", 60_000, "the publisher's report");
    const acked = done.acked as Ranges;
    const rejected = done.rejected as Ranges;
    const ackedCount = countRanges(acked);
    // the subscriber catches up: until it has every acked number, or nothing new came for 10 s
    const t0 = Date.now();
    let last = -1;
    let still = Date.now();
    while (Date.now() - t0 < b.drainMs) {
      sub.send("progress");
      const p = await sub.next("progress", 10_000);
      if (p.unique >= ackedCount) break;
      if (p.unique !== last) {
        last = p.unique;
        still = Date.now();
      } else if (Date.now() - still > 10_000) break;
      await sleep(250);
    }
    sub.send(`report ${readyAt}`);
    const report = await sub.next("report", 10_000);
    const received = report.received as Ranges;
    const lostRanges = difference(acked, received);
    const lost = countRanges(lostRanges);
    if (lost > 0)
      ctx.log(`${s.label}: ${lost} acked messages lost: ${JSON.stringify(lostRanges.slice(0, 5))}`);
    const rejectedCount = countRanges(rejected);
    return {
      broker: s.label,
      setup: s.setup,
      attempted: done.attempted,
      acked: ackedCount,
      rejected: rejectedCount,
      rejectedBy: done.rejectedBy,
      received: report.unique,
      lost,
      duplicates: report.deliveries - report.unique,
      receivedRejected: rejectedCount - countMissing(rejected, received),
      restartMs: readyAt - stopAt,
      lostRanges: lostRanges.slice(0, 10),
      stoppedAtSeq: Math.floor(((stopAt - pubStartedAt) / 1000) * b.publishRate),
      resumedMs: report.resumedAt === null ? null : Math.max(0, report.resumedAt - readyAt),
      goal: { text: "0 acked messages lost (duplicates allowed)", met: lost === 0 },
      ...(s.note ? { note: s.note } : {}),
    };
  } finally {
    pub?.kill();
    await sub.stop("SIGTERM", 5000);
  }
}
