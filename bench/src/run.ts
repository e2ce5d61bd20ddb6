// Runs the benchmark: for each implementation and concurrency, a server process and a client
// process on loopback; reports req/s, p50/p99 latency, CPU µs per request (client + server, from
// /proc) and peak RSS of both, with the ratio to the raw TCP baseline measured in the same run.
// `--repeat=N` measures every cell N times and reports the median with the min–max range.
// `--stream=N` measures one bidi stream of N messages per cell instead of unary calls (`--window=W`
// unanswered at most, default 128); the table's req/s is then messages/s.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { goBenchBinary, goSkipReason, goVersion } from "./peers/go.js";
import { cell, cpuTicks, fmt, median, peakRssMiB, TICK_US } from "./stats.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const duration = Number(args.get("duration") ?? 3000);
const levels = args.has("stream") ? [1] : (args.get("concurrency") ?? "1,16,128").split(",").map(Number);
const modes = (args.get("modes") ?? "raw,micro").split(",");
const repeat = Math.max(1, Number(args.get("repeat") ?? 1));
const payload = Number(args.get("payload") ?? 0);
const streamMessages = Number(args.get("stream") ?? 0);
const streamWindow = Number(args.get("window") ?? 128);
const WARMUP_MS = 500;
// --cpu-prof=DIR: every Node server and client writes a V8 CPU profile into DIR (open it in Chrome
// DevTools or summarize its self times); the Go mode is not profiled.
const profDir = args.get("cpu-prof");
const nodeFlags = profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
// The Go mode runs our Go binary for both sides; every other mode runs the Node scripts. The two
// mixed modes put go-micro on one side and micro on the other: `micro>go` is our client calling a Go
// server, `go>micro` a Go client calling our server (what a Go peer sees must not get slower).
const MIXED: Record<string, { server: string; client: string }> = {
  "micro>go": { server: "go", client: "micro" },
  "go>micro": { server: "micro", client: "go" },
};
const serverSide = (mode: string) => MIXED[mode]?.server ?? mode;
const clientSide = (mode: string) => MIXED[mode]?.client ?? mode;
const usesGo = (mode: string) => serverSide(mode) === "go" || clientSide(mode) === "go";

function serverCommand(mode: string): [string, string[]] {
  const side = serverSide(mode);
  return side === "go"
    ? [goBenchBinary, ["server"]]
    : [process.execPath, [...nodeFlags, join(here, "server.js"), side]];
}

function clientCommand(mode: string, address: string, concurrency: number): [string, string[]] {
  const rest = [address, String(concurrency), String(duration), String(WARMUP_MS), String(payload)];
  if (streamMessages > 0) rest.push(String(streamMessages), String(streamWindow));
  const side = clientSide(mode);
  return side === "go"
    ? [goBenchBinary, ["client", ...rest]]
    : [process.execPath, [...nodeFlags, join(here, "client.js"), side, ...rest]];
}

async function startServer(
  mode: string,
): Promise<{ proc: ChildProcess; address: string } | { skip: string }> {
  if (usesGo(mode) && streamMessages > 0) {
    // interop/vectors/README.md: v5.30's server reuses its codec buffer across back-to-back Sends,
    // so a pipelined echo would measure corrupted frames
    return {
      skip: "go: go-micro v5.30 corrupts back-to-back server stream frames; not measured for streams",
    };
  }
  if (usesGo(mode)) {
    const reason = goSkipReason();
    if (reason) return { skip: reason };
  }
  const [cmd, argv] = serverCommand(mode);
  // go-micro logs a TLS notice on stderr; keep the suite's stderr readable.
  const proc = spawn(cmd, argv, {
    stdio: ["ignore", "pipe", serverSide(mode) === "go" ? "ignore" : "inherit"],
  });
  const rl = createInterface({ input: proc.stdout! });
  const [line] = (await once(rl, "line")) as [string];
  const msg = JSON.parse(line) as { address?: string; skip?: string };
  if (msg.skip) {
    await once(proc, "exit");
    return { skip: msg.skip };
  }
  return { proc, address: msg.address! };
}

interface Result {
  mode: string;
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  /** The client's share of cpuUs (the rest is the server's). */
  clientCpuUs: number;
  clientRss: number;
  serverRss: number;
  /** micro only: registry lookups by the client during the measured window. */
  registryLookups?: number;
}

async function measure(mode: string, concurrency: number): Promise<Result | { skip: string }> {
  const server = await startServer(mode);
  if ("skip" in server) return server;
  const [cmd, argv] = clientCommand(mode, server.address, concurrency);
  const client = spawn(cmd, argv, {
    stdio: ["ignore", "pipe", clientSide(mode) === "go" ? "ignore" : "inherit"],
  });
  let c0 = 0;
  let s0 = 0;
  let cpu = 0;
  let clientCpu = 0;
  let clientRss = 0;
  let skip: string | undefined;
  let result:
    | { requests: number; seconds: number; p50: number; p99: number; registryLookups?: number }
    | undefined;
  for await (const line of createInterface({ input: client.stdout! })) {
    const msg = JSON.parse(line) as { phase?: string; requests?: number; skip?: string };
    if (msg.skip) skip = msg.skip;
    else if (msg.phase === "measure") {
      c0 = cpuTicks(client.pid!);
      s0 = cpuTicks(server.proc.pid!);
    } else if (msg.phase === "done") {
      clientCpu = cpuTicks(client.pid!) - c0;
      cpu = clientCpu + (cpuTicks(server.proc.pid!) - s0);
      clientRss = peakRssMiB(client.pid!);
    } else if (msg.requests !== undefined) {
      result = msg as typeof result;
    }
  }
  const serverRss = peakRssMiB(server.proc.pid!);
  server.proc.kill("SIGTERM");
  await once(server.proc, "exit");
  if (skip) return { skip };
  if (!result) throw new Error(`${mode} c=${concurrency}: client gave no result`);
  return {
    mode,
    concurrency,
    rps: result.requests / result.seconds,
    p50: result.p50,
    p99: result.p99,
    cpuUs: (cpu * TICK_US) / Math.max(1, result.requests),
    clientCpuUs: (clientCpu * TICK_US) / Math.max(1, result.requests),
    clientRss,
    serverRss,
    registryLookups: result.registryLookups,
  };
}

const runs = new Map<string, Result[]>(); // key mode@concurrency, one entry per repetition
const skipped = new Map<string, string>();
for (let rep = 0; rep < repeat; rep++) {
  for (const c of levels) {
    for (const m of modes) {
      if (skipped.has(m)) continue;
      process.stderr.write(
        streamMessages > 0
          ? `[${rep + 1}/${repeat}] measuring ${m}: one stream of ${streamMessages} messages...\n`
          : `[${rep + 1}/${repeat}] measuring ${m} at concurrency ${c} for ${duration} ms...\n`,
      );
      const r = await measure(m, c);
      if ("skip" in r) {
        process.stderr.write(`skip ${r.skip}\n`);
        skipped.set(m, r.skip);
        continue;
      }
      const key = `${m}@${c}`;
      runs.set(key, [...(runs.get(key) ?? []), r]);
    }
  }
}

const cpu = cpus();
const goLine = modes.some((m) => usesGo(m) && !skipped.has(m)) ? goVersion() : "-";
const lines = [
  streamMessages > 0
    ? `One bidi stream of ${streamMessages} ${payload > 0 ? `${payload}-byte` : "small"} messages per cell, each echoed, at most ${streamWindow} unanswered (req/s = messages/s; latency = send to its echo), client and server in two processes on loopback (127.0.0.1).`
    : `Unary ${payload > 0 ? `${payload}-byte` : "small"} calls, client and server in two processes on loopback (127.0.0.1).`,
  "JSON except `grpc` and `micro-proto` (protobuf); `micro-nats` goes through nats-server on loopback (its CPU is not counted).",
  "",
  `- date: ${new Date().toISOString()}`,
  `- machine: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}`,
  `- Node ${process.version}; Go: ${goLine}`,
  streamMessages > 0
    ? `- after a warm-up stream of ${Math.max(1000, Math.floor(streamMessages / 5))} messages, ${repeat} run(s) per cell${repeat > 1 ? " (median, min–max)" : ""}`
    : `- ${duration} ms per cell after a ${WARMUP_MS} ms warm-up, closed loop, ${repeat} run(s) per cell${repeat > 1 ? " (median, min–max)" : ""}`,
  "",
  "| impl | conc | req/s | p50 µs | p99 µs | CPU µs/req | CPU µs client / server | RSS MiB client / server | req/s vs raw | CPU vs raw |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const c of levels) {
  const raw = runs.get(`raw@${c}`);
  for (const m of modes) {
    const rs = runs.get(`${m}@${c}`);
    if (!rs) continue;
    const rps = median(rs.map((r) => r.rps));
    const cpuUs = median(rs.map((r) => r.cpuUs));
    const ratio = raw ? (rps / median(raw.map((r) => r.rps))).toFixed(2) : "-";
    const cpuRatio = raw ? (cpuUs / median(raw.map((r) => r.cpuUs))).toFixed(2) : "-";
    const clientCpu = median(rs.map((r) => r.clientCpuUs));
    const split = `${clientCpu.toFixed(1)} / ${(cpuUs - clientCpu).toFixed(1)}`;
    const rss = `${fmt(median(rs.map((r) => r.clientRss)))} / ${fmt(median(rs.map((r) => r.serverRss)))}`;
    lines.push(
      `| ${m} | ${c} | ${cell(rs.map((r) => r.rps))} | ${cell(rs.map((r) => r.p50))} | ${cell(rs.map((r) => r.p99))} | ${cell(
        rs.map((r) => r.cpuUs),
        1,
      )} | ${split} | ${rss} | ${ratio}× | ${cpuRatio}× |`,
    );
  }
}
const lookups = [...runs.values()].flat().filter((r) => r.registryLookups !== undefined);
if (lookups.length) {
  const total = lookups.reduce((n, r) => n + r.registryLookups!, 0);
  lines.push(
    "",
    `micro client registry lookups during all measured windows: ${total} (calls use a direct address).`,
  );
}
for (const [m, reason] of skipped) lines.push("", `skipped ${m}: ${reason}`);
const table = lines.join("\n");
console.log(table);
if (args.has("out")) writeFileSync(args.get("out")!, `${table}\n`);
