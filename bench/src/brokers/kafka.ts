// Kafka broker benchmark: N small messages published with bounded concurrency and received by one
// subscriber, through @micro/broker-kafka and through plain kafkajs doing the same work (one
// producer.send per message with the same header, one consumer, offsets committed after handling).
// Prints throughput (msg/s, first publish to last receive) and publish->receive latency p50/p99 for
// both, and the ratio micro/raw. Rounds alternate raw and micro; the median round of each is shown.
//
//   scripts/services/start.sh kafka && node bench/dist/brokers/kafka.js [--messages=5000]
//     [--concurrency=16] [--rounds=3] [--brokers=127.0.0.1:9092]
import { randomUUID } from "node:crypto";
import { KafkaBroker } from "@micro/broker-kafka";
import { silentLogger } from "@micro/core";
import { Kafka, logLevel, Partitioners } from "kafkajs";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const messages = Number(args.get("messages") ?? 5000);
const concurrency = Number(args.get("concurrency") ?? 16);
const rounds = Number(args.get("rounds") ?? 3);
const brokers = (args.get("brokers") ?? process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(",");

interface Result {
  rate: number;
  p50: number;
  p99: number;
}

/** One side of the comparison: subscribe, publish, tear down. `received(seq)` is called per message. */
interface Side {
  subscribe(topic: string, received: (seq: number) => void): Promise<void>;
  publish(topic: string, seq: number, body: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

function microSide(): Side {
  const broker = new KafkaBroker({ brokers, logger: silentLogger });
  return {
    async subscribe(topic, received) {
      await broker.subscribe(topic, (e) => received(Number(e.message.header.seq)));
    },
    publish: (topic, seq, body) => broker.publish(topic, { header: { seq: String(seq) }, body }),
    close: () => broker.disconnect(),
  };
}

function rawSide(): Side {
  const kafka = new Kafka({ brokers, clientId: "bench-raw", logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  const consumers: ReturnType<Kafka["consumer"]>[] = [];
  let connected: Promise<void> | undefined;
  const connect = () => (connected ??= Promise.all([producer.connect(), admin.connect()]).then(() => {}));
  return {
    async subscribe(topic, received) {
      await connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const consumer = kafka.consumer({
        groupId: randomUUID(),
        heartbeatInterval: 500,
        maxWaitTimeInMs: 1000,
      });
      consumers.push(consumer);
      await consumer.connect();
      // the topic is new, so the earliest offset is exactly "everything published from now on"
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => received(Number(message.headers?.seq?.toString())),
      });
    },
    async publish(topic, seq, body) {
      await connect();
      await producer.send({ topic, messages: [{ value: Buffer.from(body), headers: { seq: String(seq) } }] });
    },
    async close() {
      for (const c of consumers) await c.disconnect();
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    },
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function round(make: () => Side, n: number): Promise<Result> {
  const side = make();
  try {
    const topic = `bench.kafka.${randomUUID().slice(0, 8)}`;
    const sent = new Float64Array(n);
    const latencies: number[] = [];
    let got = 0;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    await side.subscribe(topic, (seq) => {
      latencies.push(performance.now() - sent[seq]!);
      if (++got === n) done();
    });
    const body = new TextEncoder().encode('{"say":"hello"}\n');
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const seq = next++;
        sent[seq] = performance.now();
        await side.publish(topic, seq, body);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const timeout = setTimeout(() => {
      console.error(`timed out: ${got}/${n} received`);
      process.exit(1);
    }, 120_000);
    await all;
    clearTimeout(timeout);
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    return { rate: n / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  } finally {
    await side.close();
  }
}

const median = (rs: Result[]) => [...rs].sort((a, b) => a.rate - b.rate)[Math.floor(rs.length / 2)]!;
const fmt = (r: Result) =>
  `${Math.round(r.rate).toString().padStart(7)} msg/s   p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms`;

console.log(
  `kafka broker benchmark: ${messages} messages, ${concurrency} concurrent publishers, ${rounds} rounds, brokers ${brokers.join(",")}`,
);
// warm-up: JIT, connections, the group coordinator
await round(rawSide, Math.min(1000, messages));
await round(microSide, Math.min(1000, messages));
const raw: Result[] = [];
const micro: Result[] = [];
for (let i = 0; i < rounds; i++) {
  raw.push(await round(rawSide, messages));
  micro.push(await round(microSide, messages));
  console.log(
    `  round ${i + 1}: raw ${Math.round(raw[i]!.rate)} msg/s, micro ${Math.round(micro[i]!.rate)} msg/s`,
  );
}
const [r, m] = [median(raw), median(micro)];
console.log(`raw kafkajs   ${fmt(r)}`);
console.log(`micro kafka   ${fmt(m)}`);
console.log(
  `ratio micro/raw: throughput ${(m.rate / r.rate).toFixed(2)}x, p50 latency ${(m.p50 / r.p50).toFixed(2)}x`,
);
