// publish -> receive through NATS: @micro/broker-nats against the raw NATS client doing the same
// work (subject = topic, one subscriber on its own connection counting messages), in one process,
// one run printing both and the ratio.
//
//   node bench/dist/brokers/nats.js [--messages=200000] [--size=64] [--rounds=3] [--url=nats://127.0.0.1:4222]
//     [--modes=micro,raw-go,raw-burst]   (one mode alone is for profiling: node --cpu-prof ... --modes=micro;
//     raw-envelope: the raw client sending bodies as large as the envelope, to separate the cost of
//     the bytes from the cost of encoding them; raw-burst: the raw client publishing without awaiting,
//     so the client writes each tick's messages together — its ceiling, and the fair comparison for
//     the broker's outbox, which coalesces the same way; raw-go: the raw client doing what the broker
//     does, written as a user of the bare client would write it to talk to go-micro services —
//     the envelope by JSON.stringify with a base64 body, JSON.parse and base64 decode on receipt,
//     publishing without awaiting)
//
// The raw client publishes the body bytes as they are; the broker wraps them in go-micro's JSON
// envelope (headers + base64 body) and decodes it on receipt, so the ratio is the cost of
// wire-compatibility plus our layer. Both publishers yield to the event loop every BATCH messages so
// the receiver runs concurrently. Throughput = messages / (first publish -> last receive); latency =
// publish call -> handler, from the send time stamped in the body's first 8 bytes. CPU per message:
// this process (publisher + subscriber, user + system) and, when its PID file is found
// ($SVC_DIR/nats/nats.pid), nats-server's, over the same window.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setImmediate as tick } from "node:timers/promises";
import { NatsBroker } from "@micro/broker-nats";
import { silentLogger } from "@micro/core";
import { encodeEnvelopeBytes } from "@micro/core/plugin-kit";
import { connect } from "@nats-io/transport-node";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const N = Number(args.get("messages") ?? 200_000);
const SIZE = Math.max(8, Number(args.get("size") ?? 64));
const ROUNDS = Number(args.get("rounds") ?? 3);
const URL_ = args.get("url") ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222";
const BATCH = 500;
const MODES = (args.get("modes") ?? "micro,raw-go,raw-burst").split(",");
const SVC_DIR = process.env.SVC_DIR ?? "/tmp/micro-svc";

interface Result {
  rate: number;
  p50: number;
  p99: number;
  /** CPU µs per message: this process, and nats-server when known */
  cpu: number;
  server: number | undefined;
}

const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

/** nats-server's utime + stime in µs, when its PID file is ours to read. */
function serverCpu(): number | undefined {
  try {
    const pid = readFileSync(`${SVC_DIR}/nats/nats.pid`, "utf8").trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_US;
  } catch {
    return undefined;
  }
}

/** CPU spent from now until the returned function is called, per message. */
function cpuMeter(n: number) {
  const own = process.cpuUsage();
  const server = serverCpu();
  return () => {
    const d = process.cpuUsage(own);
    const s = serverCpu();
    return {
      cpu: (d.user + d.system) / n,
      server: s === undefined || server === undefined ? undefined : (s - server) / n,
    };
  };
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
    summary(elapsedMs: number, cpu: { cpu: number; server: number | undefined }): Result {
      const sorted = lat.slice(0, Math.min(count, n)).sort();
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      return { rate: (n / elapsedMs) * 1000, p50: at(0.5), p99: at(0.99), ...cpu };
    },
  };
}

function stamped(size = SIZE): Uint8Array {
  const body = new Uint8Array(size);
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
  const meter = cpuMeter(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await pub.publish(topic, { header: { ...header, "Micro-ID": randomUUID() }, body: stamped() });
    if (i % BATCH === 0) await tick();
  }
  await r.done;
  const res = r.summary(performance.now() - t0, meter());
  await sub.disconnect();
  await pub.disconnect();
  return res;
}

/** Bytes on the wire per message through the broker: the envelope around a SIZE-byte body. */
function envelopeSize(): number {
  const header = {
    "Content-Type": "application/octet-stream",
    "Micro-ID": randomUUID(),
    "Micro-Topic": "bench.micro.12345678",
  };
  return encodeEnvelopeBytes({ header, body: new Uint8Array(SIZE) }).length;
}

type NatsClient = Awaited<ReturnType<typeof connect>>;

/** One round on two bare client connections: `decode` turns a delivery into its body, `send` publishes one message. */
async function rawRound(
  n: number,
  label: string,
  decode: (data: Uint8Array) => Uint8Array,
  send: (pub: NatsClient, topic: string) => Promise<void> | undefined,
): Promise<Result> {
  const [sub, pub] = [await connect({ servers: URL_ }), await connect({ servers: URL_ })];
  const topic = `bench.${label}.${randomUUID().slice(0, 8)}`;
  const r = receiver(n);
  sub.subscribe(topic, { callback: (_e, m) => r.got(decode(m.data)) });
  await sub.flush();
  const meter = cpuMeter(n);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    // awaited only when send returns a promise: an extra turn would flush every message alone
    const pending = send(pub, topic);
    if (pending) await pending;
    if (i % BATCH === 0) await tick();
  }
  await r.done;
  const res = r.summary(performance.now() - t0, meter());
  await sub.drain();
  await pub.drain();
  return res;
}

function raw(n: number, size = SIZE, burst = false): Promise<Result> {
  return rawRound(
    n,
    "raw",
    (data) => data,
    (pub, topic) => {
      // the same per-message work outside the client: an id and an awaited call
      randomUUID();
      pub.publish(topic, stamped(size));
      // burst: nothing to await, so the client coalesces the turn's writes
      return burst ? undefined : Promise.resolve();
    },
  );
}

/**
 * The raw client doing the broker's work by hand: go-micro's envelope ({"Header":{...},"Body":"<base64>"})
 * built with JSON.stringify on each publish and parsed on each delivery, published idiomatically
 * (no await, so the client coalesces the turn's writes as the broker's outbox does).
 */
function rawGo(n: number): Promise<Result> {
  const decode = (data: Uint8Array) => {
    const env = JSON.parse(textDecoder.decode(data)) as { Header: Record<string, string>; Body: string };
    return Buffer.from(env.Body, "base64");
  };
  return rawRound(n, "rawgo", decode, (pub, topic) => {
    const env = {
      Header: { "Content-Type": "application/octet-stream", "Micro-Topic": topic, "Micro-ID": randomUUID() },
      Body: Buffer.from(stamped()).toString("base64"),
    };
    pub.publish(topic, textEncoder.encode(JSON.stringify(env)));
    return undefined;
  });
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

const fmt = (r: Result) =>
  `${Math.round(r.rate).toString().padStart(8)} msg/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  CPU ${r.cpu.toFixed(1).padStart(5)} µs/msg${r.server === undefined ? "" : `  nats-server ${r.server.toFixed(1).padStart(5)} µs/msg`}`;

async function main(): Promise<void> {
  console.log(`nats broker bench: ${N} messages of ${SIZE} B, best of ${ROUNDS} rounds, ${URL_}`);
  const best = (a: Result | undefined, b: Result) => (!a || b.rate > a.rate ? b : a);
  const wire = envelopeSize();
  const sides = {
    micro,
    raw,
    "raw-envelope": (n: number) => raw(n, wire),
    "raw-burst": (n: number) => raw(n, SIZE, true),
    "raw-go": rawGo,
  } as const;
  const modes = MODES.filter((m): m is keyof typeof sides => m in sides);
  const results = new Map<string, Result>();
  for (const m of modes) await sides[m](Math.min(N, 20_000)); // warm-up: JIT and connections
  // rounds alternate the modes, so a busy moment on the shared machine hits both alike
  for (let i = 0; i < ROUNDS; i++)
    for (const m of modes) results.set(m, best(results.get(m), await sides[m](N)));
  const [m, w, e, b, g] = ["micro", "raw", "raw-envelope", "raw-burst", "raw-go"].map((k) => results.get(k));
  if (m) console.log(`  @micro/broker-nats  ${fmt(m)}`);
  if (w) console.log(`  raw NATS client     ${fmt(w)}`);
  if (e) console.log(`  raw, ${wire} B bodies ${fmt(e)}  (the envelope's size, no encoding)`);
  if (b) console.log(`  raw, no await       ${fmt(b)}  (publishes between ticks written together)`);
  if (g) console.log(`  raw, go envelope    ${fmt(g)}  (JSON.stringify/parse + base64 by hand, no await)`);
  if (m && w) console.log(`  ratio (micro / raw) ${(m.rate / w.rate).toFixed(2)}x throughput`);
  if (m && b) console.log(`  ratio (micro / raw, no await) ${(m.rate / b.rate).toFixed(2)}x throughput`);
  if (m && g) console.log(`  ratio (micro / raw, go envelope) ${(m.rate / g.rate).toFixed(2)}x throughput`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
