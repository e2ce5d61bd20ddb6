// Benchmark client process: a closed loop of `concurrency` callers for `duration` ms after a warm-up;
// prints {requests, seconds, p50, p99} (latencies in µs) as one JSON line. A payload size > 0 makes
// the request name that many bytes (the server echoes it back), for the large-payload variant.
import "@micro/codec-json";
import { connect, type Socket } from "node:net";
import { MemoryBroker } from "@micro/broker-memory";
import { createClient, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import { deframer, frame } from "./frames.js";
import { loadPeer } from "./peers/index.js";

const [mode, address, concurrencyArg, durationArg, warmupArg, payloadArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 16);
const duration = Number(durationArg ?? 3000);
const warmup = Number(warmupArg ?? 500);
const payloadBytes = Number(payloadArg ?? 0);
const request = { name: payloadBytes > 0 ? "x".repeat(payloadBytes) : "John" };

type Caller = () => Promise<unknown>;

async function peerCallers(): Promise<Caller[]> {
  const peer = await loadPeer(mode ?? "");
  if ("skip" in peer) throw new Error(peer.skip);
  return peer.callers(address!, concurrency, request);
}

async function rawCallers(): Promise<Caller[]> {
  const [host, port] = address!.split(":");
  const callers: Caller[] = [];
  for (let i = 0; i < concurrency; i++) {
    const sock: Socket = connect({ host: host!, port: Number(port), noDelay: true });
    await new Promise((r) => sock.once("connect", r));
    let pending: ((v: unknown) => void) | undefined;
    sock.on(
      "data",
      deframer((payload) => {
        const p = pending;
        pending = undefined;
        p?.(JSON.parse(payload.toString()));
      }),
    );
    callers.push(
      () =>
        new Promise((resolve) => {
          pending = resolve;
          sock.write(frame(Buffer.from(JSON.stringify(request))));
        }),
    );
  }
  return callers;
}

// Counts registry lookups made by the micro client, to show that calls with a direct address (the
// steady state once a node is selected) make no registry round trip per call.
let registryLookups = 0;
class CountingRegistry extends MemoryRegistry {
  override getService(name: string) {
    registryLookups++;
    return super.getService(name);
  }
  override listServices() {
    registryLookups++;
    return super.listServices();
  }
}

function microCallers(): Caller[] {
  const client = createClient({
    registry: new CountingRegistry(),
    broker: new MemoryBroker(),
    transport: new HttpTransport(),
    argv: [],
    logger: silentLogger,
  });
  const call: Caller = () => client.call("bench", "Bench.Hello", request, { address: address! });
  return Array.from({ length: concurrency }, () => call);
}

const callers = mode === "raw" ? await rawCallers() : mode === "micro" ? microCallers() : await peerCallers();
const latencies: number[] = [];
let measuring = false;
let stop = false;
let count = 0;

async function loop(call: Caller): Promise<void> {
  while (!stop) {
    const t0 = process.hrtime.bigint();
    await call();
    if (measuring) {
      latencies.push(Number(process.hrtime.bigint() - t0) / 1000);
      count++;
    }
  }
}

const loops = callers.map(loop);
await new Promise((r) => setTimeout(r, warmup));
measuring = true;
const lookups0 = registryLookups;
const t0 = process.hrtime.bigint();
process.stdout.write(`${JSON.stringify({ phase: "measure" })}\n`);
await new Promise((r) => setTimeout(r, duration));
measuring = false;
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(`${JSON.stringify({ phase: "done" })}\n`);
stop = true;
await Promise.all(loops);
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
const lookups = mode === "micro" ? { registryLookups: registryLookups - lookups0 } : {};
console.log(JSON.stringify({ requests: count, seconds, p50: q(0.5), p99: q(0.99), ...lookups }));
process.exit(0);
