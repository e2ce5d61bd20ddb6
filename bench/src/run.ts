// Runs the unary benchmark: for each implementation and concurrency, a server process and a client
// process on loopback; reports req/s, p50/p99 latency and CPU µs per request (client + server, from
// /proc), with the ratio to the raw TCP baseline measured in the same run.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const duration = Number(args.get("duration") ?? 3000);
const levels = (args.get("concurrency") ?? "1,16,128").split(",").map(Number);
const modes = (args.get("modes") ?? "raw,micro").split(",");
const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

async function startServer(mode: string): Promise<{ proc: ChildProcess; address: string }> {
  const proc = spawn(process.execPath, [join(here, "server.js"), mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const rl = createInterface({ input: proc.stdout! });
  const [line] = (await once(rl, "line")) as [string];
  return { proc, address: (JSON.parse(line) as { address: string }).address };
}

interface Result {
  mode: string;
  concurrency: number;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
}

async function measure(mode: string, concurrency: number): Promise<Result> {
  const server = await startServer(mode);
  const client = spawn(
    process.execPath,
    [join(here, "client.js"), mode, server.address, String(concurrency), String(duration)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let c0 = 0;
  let s0 = 0;
  let cpu = 0;
  let result: { requests: number; seconds: number; p50: number; p99: number } | undefined;
  for await (const line of createInterface({ input: client.stdout! })) {
    const msg = JSON.parse(line) as { phase?: string; requests?: number };
    if (msg.phase === "measure") {
      c0 = cpuTicks(client.pid!);
      s0 = cpuTicks(server.proc.pid!);
    } else if (msg.phase === "done") {
      cpu = cpuTicks(client.pid!) - c0 + (cpuTicks(server.proc.pid!) - s0);
    } else if (msg.requests !== undefined) {
      result = msg as typeof result;
    }
  }
  server.proc.kill("SIGTERM");
  await once(server.proc, "exit");
  if (!result) throw new Error(`${mode} c=${concurrency}: client gave no result`);
  return {
    mode,
    concurrency,
    rps: result.requests / result.seconds,
    p50: result.p50,
    p99: result.p99,
    cpuUs: (cpu * TICK_US) / Math.max(1, result.requests),
  };
}

const results: Result[] = [];
for (const c of levels) {
  for (const m of modes) {
    process.stderr.write(`measuring ${m} at concurrency ${c} for ${duration} ms...\n`);
    results.push(await measure(m, c));
  }
}

const fmt = (n: number, d = 0) => n.toFixed(d).padStart(9);
const lines = [
  `Unary small-JSON calls, client and server in two Node ${process.version} processes on loopback, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${duration} ms per cell.`,
  "",
  "| impl | conc | req/s | p50 µs | p99 µs | CPU µs/req | req/s vs raw | CPU vs raw |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const r of results) {
  const raw = results.find((x) => x.mode === "raw" && x.concurrency === r.concurrency);
  const ratio = raw ? (r.rps / raw.rps).toFixed(2) : "-";
  const cpuRatio = raw ? (r.cpuUs / raw.cpuUs).toFixed(2) : "-";
  lines.push(
    `| ${r.mode} | ${r.concurrency} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.cpuUs, 1)} | ${ratio}× | ${cpuRatio}× |`,
  );
}
const table = lines.join("\n");
console.log(table);
if (args.has("out")) writeFileSync(args.get("out")!, `${table}\n`);
