// Benchmark client process for one mode (see peers/). Unary: a closed loop of `concurrency` callers
// for `duration` ms after a warm-up. Stream (STREAM_MESSAGES > 0): one bidi stream carrying that many
// requests, at most WINDOW unanswered at a time, after a warm-up stream of a fifth as many.
// Prints {"phase":"measure"} and {"phase":"done"} around the measured window (run.ts reads CPU
// there), then {requests, seconds, p50, p99} (latencies in µs; for a stream, send -> its echo).
// A payload size > 0 makes the request name that many bytes (the server echoes it back).
import { loadPeer } from "./peers/index.js";
import type { BenchStream, Peer } from "./peers/types.js";
import { quantiles } from "./stats.js";

const [mode, address, concurrencyArg, durationArg, warmupArg, payloadArg, streamArg, windowArg] =
  process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? 16);
const duration = Number(durationArg ?? 3000);
const warmup = Number(warmupArg ?? 500);
const payloadBytes = Number(payloadArg ?? 0);
const streamMessages = Number(streamArg ?? 0);
const window = Math.max(1, Number(windowArg ?? 128));
const request = { name: payloadBytes > 0 ? "x".repeat(payloadBytes) : "John" };

const loaded = await loadPeer(mode ?? "");
if ("skip" in loaded) throw new Error(loaded.skip);
const peer: Peer = loaded;
if (streamMessages > 0 && !peer.openStream) {
  process.stdout.write(`${JSON.stringify({ skip: `${mode}: no bidi streams in this peer` })}\n`);
  process.exit(0);
}
const micro = mode?.startsWith("micro") ? await import("./peers/micro.js") : undefined;

const emit = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);
const now = () => Number(process.hrtime.bigint()) / 1000;

async function unary(): Promise<void> {
  const callers = await peer.callers(address!, concurrency, request);
  const latencies: number[] = [];
  let measuring = false;
  let stop = false;
  const loop = async (call: () => Promise<unknown>) => {
    while (!stop) {
      const t0 = now();
      await call();
      if (measuring) latencies.push(now() - t0);
    }
  };
  const loops = callers.map(loop);
  await new Promise((r) => setTimeout(r, warmup));
  measuring = true;
  const lookups0 = micro?.registryLookups() ?? 0;
  const t0 = process.hrtime.bigint();
  emit({ phase: "measure" });
  await new Promise((r) => setTimeout(r, duration));
  measuring = false;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  emit({ phase: "done" });
  stop = true;
  await Promise.all(loops);
  const lookups = micro ? { registryLookups: micro.registryLookups() - lookups0 } : {};
  emit({ requests: latencies.length, seconds, ...quantiles(latencies), ...lookups });
}

/** Sends `n` requests on one stream, never more than `window` unanswered; resolves at the n-th echo. */
async function streamRun(n: number, onStart?: () => void) {
  if (!peer.openStream) throw new Error(`${mode}: no stream support`);
  const sentAt = new Float64Array(n);
  const latencies = new Float64Array(n);
  let sent = 0;
  let received = 0;
  let wake: (() => void) | undefined;
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const stream: BenchStream = await peer.openStream(address!, () => {
    if (received < n) latencies[received] = now() - sentAt[received]!;
    received++;
    if (wake && sent - received < window) {
      const w = wake;
      wake = undefined;
      w();
    }
    if (received === n) finish();
  });
  onStart?.();
  const t0 = process.hrtime.bigint();
  while (sent < n) {
    if (sent - received >= window) await new Promise<void>((r) => (wake = r));
    sentAt[sent++] = now();
    const p = stream.send(request);
    if (p) await p;
  }
  await done;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await stream.close();
  return { seconds, latencies };
}

async function stream(): Promise<void> {
  await streamRun(Math.max(1000, Math.floor(streamMessages / 5)));
  const lookups0 = micro?.registryLookups() ?? 0;
  const { seconds, latencies } = await streamRun(streamMessages, () => emit({ phase: "measure" }));
  emit({ phase: "done" });
  const lookups = micro ? { registryLookups: micro.registryLookups() - lookups0 } : {};
  emit({ requests: streamMessages, seconds, ...quantiles(latencies), ...lookups });
}

await (streamMessages > 0 ? stream() : unary());
process.exit(0);
