// The durable subscriber, in its own process: subscribes to the topic in queue `queue` (durable
// where the broker has it) and marks each sequence number it gets. Prints {"event":"ready"} once
// subscribed; on "progress" prints what it has so far; on "report <epoch ms>" the received numbers
// as ranges and when the first new message arrived at or after that time (delivery resumed).
import { createInterface } from "node:readline";
import { toRanges } from "../ranges.js";
import { type BrokerPeerConfig, createBroker } from "./brokers.js";

const config = JSON.parse(process.argv[2] ?? "{}") as BrokerPeerConfig;
const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const decoder = new TextDecoder();

let seen = new Uint8Array(1 << 16);
let firstNewAfter: number[] = [];
let unique = 0;
let deliveries = 0;
let maxSeq = -1;
let lastNewAt = 0;

const broker = await createBroker(config);
await broker.connect();
await broker.subscribe(
  config.topic,
  (event) => {
    const { seq } = JSON.parse(decoder.decode(event.message.body)) as { seq: number };
    deliveries++;
    if (seq >= seen.length) {
      const grown = new Uint8Array(Math.max(seen.length * 2, seq + 1));
      grown.set(seen);
      seen = grown;
    }
    if (!seen[seq]) {
      seen[seq] = 1;
      unique++;
      lastNewAt = Date.now();
      // first-receipt times, kept only while they may answer a report (bounded by the run)
      firstNewAfter.push(lastNewAt);
      if (seq > maxSeq) maxSeq = seq;
    }
  },
  { queue: config.queue, durable: true },
);
print({ event: "ready", at: Date.now() });

createInterface({ input: process.stdin }).on("line", (l) => {
  const [cmd, arg] = l.trim().split(/\s+/);
  if (cmd === "progress") print({ event: "progress", unique, deliveries, lastNewAt });
  if (cmd === "report") {
    const since = Number(arg ?? 0);
    const resumedAt = firstNewAfter.find((t) => t >= since) ?? null;
    firstNewAfter = [];
    print({
      event: "report",
      unique,
      deliveries,
      lastNewAt,
      resumedAt,
      received: toRanges(seen, maxSeq + 1),
    });
  }
});
process.on("SIGTERM", () => void broker.disconnect().finally(() => process.exit(0)));
