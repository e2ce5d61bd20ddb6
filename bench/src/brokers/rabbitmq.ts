// publish -> receive through RabbitMQ: @micro/broker-rabbitmq against raw amqplib doing the same
// work (exchange `micro`, routing key = topic, the same headers table, a private queue bound to the
// topic, prefetch 100, one ack per message after the "handler"), in one process, one run.
//
//   node bench/dist/brokers/rabbitmq.js [--messages=20000] [--concurrency=64] [--size=64] [--rounds=3]
//                                       [--url=amqp://guest:guest@127.0.0.1:5672] [--modes=confirm,noconfirm]
//
// `confirm`: publish resolves on the server's publisher confirm (the broker's default; raw uses a
// confirm channel). `noconfirm`: publish resolves once written (raw uses a plain channel).
// Throughput = messages / (first publish -> last receive); latency = publish call -> handler.
// Without confirms nothing throttles the publishers, so that mode's latency is mostly time queued.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { RabbitMQBroker } from "@micro/broker-rabbitmq";
import { silentLogger } from "@micro/core";
import { type Channel, type ConfirmChannel, connect } from "amqplib";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const N = Number(args.get("messages") ?? 20_000);
const CONCURRENCY = Number(args.get("concurrency") ?? 64);
const SIZE = Math.max(8, Number(args.get("size") ?? 64));
const ROUNDS = Number(args.get("rounds") ?? 3);
const URL_ = args.get("url") ?? process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const MODES = (args.get("modes") ?? "confirm,noconfirm").split(",");
const PREFETCH = 100;
const EXCHANGE = "micro";

interface Result {
  rate: number;
  p50: number;
  p99: number;
}

/** The receiving side of one run: records latencies from the send time in the body's first 8 bytes. */
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

/** `CONCURRENCY` publishers in a closed loop, each with a fresh body stamped with its send time. */
async function drive(
  n: number,
  publish: (body: Uint8Array, header: Record<string, string>) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const body = new Uint8Array(SIZE);
      new DataView(body.buffer).setFloat64(0, performance.now());
      await publish(body, { "Content-Type": "application/octet-stream", "Micro-ID": randomUUID() });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function micro(n: number, confirm: boolean): Promise<Result> {
  const opts = { addresses: [URL_], logger: silentLogger, confirm, prefetch: PREFETCH };
  const [sub, pub] = [new RabbitMQBroker(opts), new RabbitMQBroker(opts)];
  await sub.connect();
  await pub.connect();
  const topic = `bench.micro.${randomUUID().slice(0, 8)}`;
  const r = receiver(n);
  await sub.subscribe(topic, (e) => r.got(e.message.body));
  const t0 = performance.now();
  await drive(n, (body, header) => pub.publish(topic, { header: { ...header, "Micro-Topic": topic }, body }));
  await r.done;
  const res = r.summary(performance.now() - t0);
  await sub.disconnect();
  await pub.disconnect();
  return res;
}

async function raw(n: number, confirm: boolean): Promise<Result> {
  const [subConn, pubConn] = [await connect(URL_), await connect(URL_)];
  const sub = await subConn.createChannel();
  const pub: Channel | ConfirmChannel = confirm
    ? await pubConn.createConfirmChannel()
    : await pubConn.createChannel();
  await pub.assertExchange(EXCHANGE, "topic", { durable: false });
  const topic = `bench.raw.${randomUUID().slice(0, 8)}`;
  await sub.prefetch(PREFETCH);
  const { queue } = await sub.assertQueue("", { exclusive: true, autoDelete: true });
  await sub.bindQueue(queue, EXCHANGE, topic);
  const r = receiver(n);
  await sub.consume(queue, (m) => {
    if (!m) return;
    r.got(m.content);
    sub.ack(m);
  });
  // like the broker: one shared wait for 'drain' when the socket buffer is full
  let drained: Promise<void> | undefined;
  const drain = () => {
    drained ??= new Promise<void>((d) =>
      pub.once("drain", () => {
        drained = undefined;
        d();
      }),
    );
    return drained;
  };
  const t0 = performance.now();
  await drive(n, async (body, header) => {
    const headers: Record<string, string> = { ...header, "Micro-Topic": topic };
    const content = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const props = { headers, contentType: headers["Content-Type"] };
    if (!confirm) {
      if (!pub.publish(EXCHANGE, topic, content, props)) await drain();
      return;
    }
    let ok = true;
    const confirmed = new Promise<void>((resolve, reject) => {
      ok = (pub as ConfirmChannel).publish(EXCHANGE, topic, content, props, (err) =>
        err ? reject(err) : resolve(),
      );
    });
    if (!ok) await drain();
    await confirmed;
  });
  await r.done;
  const res = r.summary(performance.now() - t0);
  await subConn.close();
  await pubConn.close();
  return res;
}

const fmt = (r: Result) =>
  `${Math.round(r.rate).toString().padStart(8)} msg/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms`;

async function main(): Promise<void> {
  console.log(
    `rabbitmq broker bench: ${N} messages of ${SIZE} B, ${CONCURRENCY} publishers in flight, prefetch ${PREFETCH}, best of ${ROUNDS} rounds, ${URL_.replace(/\/\/[^@/]*@/, "//")}`,
  );
  for (const mode of MODES) {
    const confirm = mode === "confirm";
    await raw(Math.min(N, 2000), confirm); // warm-up: JIT, server queues
    await micro(Math.min(N, 2000), confirm);
    const best = { raw: undefined as Result | undefined, micro: undefined as Result | undefined };
    for (let i = 0; i < ROUNDS; i++) {
      // alternate the order so neither side always runs on a warmer server
      const order = i % 2 === 0 ? (["raw", "micro"] as const) : (["micro", "raw"] as const);
      for (const which of order) {
        const r = which === "raw" ? await raw(N, confirm) : await micro(N, confirm);
        if (!best[which] || r.rate > best[which]!.rate) best[which] = r;
      }
    }
    const ratio = best.micro!.rate / best.raw!.rate;
    console.log(`\n[${mode}]`);
    console.log(`  raw amqplib  ${fmt(best.raw!)}`);
    console.log(`  micro        ${fmt(best.micro!)}`);
    console.log(
      `  ratio        ${ratio.toFixed(2)}x raw throughput${ratio >= 0.9 ? "" : "  (below the 0.9x target)"}`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
