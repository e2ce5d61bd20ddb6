// The publisher, in its own process: publishes 0, 1, 2, ... at `rate` per second with at most
// `window` publishes awaiting the broker, until "stop" (or maxMs). A number is acked when publish()
// resolved and rejected when it rejected. With the window full the publisher waits (a real producer
// blocks too) and then publishes the numbers that fell due meanwhile: no number is skipped.
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { toRanges } from "../ranges.js";
import { type BrokerPeerConfig, createBroker } from "./brokers.js";
import { errorKey } from "./error-key.js";

interface PubConfig extends BrokerPeerConfig {
  rate: number;
  window: number;
  maxMs: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as PubConfig;
const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const encoder = new TextEncoder();

let stopping = false;
createInterface({ input: process.stdin }).on("line", (l) => {
  if (l.trim() === "stop") stopping = true;
});

const broker = await createBroker(config);
await broker.connect();
const capacity = Math.ceil((config.rate * config.maxMs) / 1000) + 1;
const acked = new Uint8Array(capacity);
const rejected = new Uint8Array(capacity);
const rejectedBy: Record<string, number> = {};
let next = 0;
let inflight = 0;
let lastAckAt = 0;
print({ event: "started", at: Date.now() });

const started = Date.now();
const tick = 1000 / config.rate;
const pending = new Set<Promise<void>>();
while (!stopping && Date.now() - started < config.maxMs && next < capacity) {
  // catch up with the schedule, within the window
  const due = Math.min(capacity, Math.floor((Date.now() - started) / tick) + 1);
  while (next < due && inflight < config.window) {
    const seq = next++;
    inflight++;
    const header = {
      "Content-Type": "application/json",
      "Micro-Topic": config.topic,
      "Micro-ID": String(seq),
    };
    const p = broker
      .publish(config.topic, { header, body: encoder.encode(JSON.stringify({ seq })) })
      .then(
        () => {
          acked[seq] = 1;
          lastAckAt = Date.now();
        },
        (err) => {
          rejected[seq] = 1;
          const k = errorKey(err);
          rejectedBy[k] = (rejectedBy[k] ?? 0) + 1;
        },
      )
      .finally(() => {
        inflight--;
        pending.delete(p);
      });
    pending.add(p);
  }
  await sleep(Math.max(1, tick / 2));
}
// the publishes still waiting get their answer (bounded: every broker rejects within seconds)
await Promise.race([Promise.allSettled([...pending]), sleep(30_000)]);
print({
  event: "done",
  attempted: next,
  acked: toRanges(acked, next),
  rejected: toRanges(rejected, next),
  rejectedBy,
  lastAckAt,
  unanswered: pending.size,
});
await Promise.race([broker.disconnect().catch(() => {}), sleep(5000)]);
process.exit(0);
