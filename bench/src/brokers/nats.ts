// publish -> receive through NATS: @micro/broker-nats against the raw NATS client doing the same
// work (subject = topic, one subscriber on its own connection counting messages), in one process,
// one run printing both and the ratio.
//
//   node bench/dist/brokers/nats.js [--messages=200000] [--size=64] [--rounds=3] [--url=nats://127.0.0.1:4222]
//
// The raw client publishes the body bytes as they are; the broker wraps them in go-micro's JSON
// envelope (headers + base64 body) and decodes it on receipt, so the ratio is the cost of
// wire-compatibility plus our layer. Both publishers yield to the event loop every BATCH messages so
// the receiver runs concurrently. Throughput = messages / (first publish -> last receive); latency =
// publish call -> handler, from the send time stamped in the body's first 8 bytes.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setImmediate as tick } from "node:timers/promises";
import { NatsBroker } from "@micro/broker-nats";
import { silentLogger } from "@micro/core";
import { connect } from "@nats-io/transport-node";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const N = Number(args.get("messages") ?? 200_000);
const SIZE = Math.max(8, Number(args.get("size") ?? 64));
const ROUNDS = Number(args.get("rounds") ?? 3);
const URL_ = args.get("url") ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const BATCH = 500;

interface Result {
  rate: number;
  p50: number;
  p99: number;
}

function receiver(n: number) {
  const lat = new Float64Array(n);
  let count = 0;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  return {
    done,
    got(body: Uint8Array) {
      const sent = new DataView(body.buffer, body.byteOffset, 8).getFloat64(0);
      if (count < n) lat[count] = performance.now() - sent;
      if (++count === n) finish();
    },
    summary(elapsedMs: number): Result {
      const sorted = lat.slice(0, Math.min(count, n)).sort();
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      return { rate: (n / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99) };
    },
  };
}

function stamped(): Uint8Array {
  const body = new Uint8Array(SIZE);
  new DataView(body.buffer).setFloat64(0, performance.now());
  return body;
}

async function micro(n: number): Promise<Result> {
  const [sub, pub] = [
    new NatsBroker({ addresses: [URL_], logger: silentLogger }),
    new NatsBroker({ addresses: [URL_], logger: silentLogger }),
  ];
  await sub.connect();
  await pub.connect();
  const topic = `bench.micro.${randomUUID().slice(0, 8)}`;
  const r = receiver(n);
  await sub.subscribe(topic, (e) => r.got(e.message.body));
  const header = { "Content-Type": "application/octet-stream", "Micro-Topic": topic };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await pub.publish(topic, { header: { ...header, "Micro-ID": randomUUID() }, body: stamped() });
    if (i % BATCH === 0) await tick();
  }
  await r.done;
  const res = r.summary(performance.now() - t0);
  await sub.disconnect();
  await pub.disconnect();
  return res;
}

async function raw(n: number): Promise<Result> {
  const [sub, pub] = [await connect({ servers: URL_ }), await connect({ servers: URL_ })];
  const topic = `bench.raw.${randomUUID().slice(0, 8)}`;
  const r = receiver(n);
  sub.subscribe(topic, { callback: (_e, m) => r.got(m.data) });
  await sub.flush();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    // the same per-message work outside the client: an id and an awaited call
    randomUUID();
    await Promise.resolve(pub.publish(topic, stamped()));
    if (i % BATCH === 0) await tick();
  }
  await r.done;
  const res = r.summary(performance.now() - t0);
  await sub.drain();
  await pub.drain();
  return res;
}

const fmt = (r: Result) =>
  `${Math.round(r.rate).toString().padStart(8)} msg/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms`;

async function main(): Promise<void> {
  console.log(`nats broker bench: ${N} messages of ${SIZE} B, best of ${ROUNDS} rounds, ${URL_}`);
  const best = (a: Result | undefined, b: Result) => (!a || b.rate > a.rate ? b : a);
  let m: Result | undefined;
  let w: Result | undefined;
  await micro(Math.min(N, 20_000)); // warm-up: JIT and connections
  await raw(Math.min(N, 20_000));
  for (let i = 0; i < ROUNDS; i++) {
    m = best(m, await micro(N));
    w = best(w, await raw(N));
  }
  console.log(`  @micro/broker-nats  ${fmt(m!)}`);
  console.log(`  raw NATS client     ${fmt(w!)}`);
  console.log(`  ratio (micro / raw) ${(m!.rate / w!.rate).toFixed(2)}x throughput`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
