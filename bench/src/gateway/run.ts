// The gateway benchmark: small JSON calls ({"name":"John"} → {"msg":"Hello John"}) through HTTP
// gateways, each gateway, service and load generator its own process on loopback, against our
// client calling the service directly. Per cell: req/s, p50/p99, CPU µs per request of the gateway
// process and of gateway + service (from /proc, over the measured window), peak RSS. Options as
// src/run.ts: --modes, --concurrency, --duration, --repeat, --out, --cpu-prof=DIR. README.md.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import { goVersion } from "../peers/go.js";
import { cpuTicks, peakRssMiB, TICK_US } from "../stats.js";
import { type CellSetup, interopDir, MODES, type Mode, setUp, skipReason } from "./modes.js";
import { Netns } from "./netns.js";
import { stop } from "./procs.js";
import { type Result, renderTables } from "./table.js";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const duration = Number(args.get("duration") ?? 3000);
const levels = (args.get("concurrency") ?? "1,16,128").split(",").map(Number);
const modes = (args.get("modes") ?? MODES.join(",")).split(",");
const repeat = Math.max(1, Number(args.get("repeat") ?? 1));
const profDir = args.get("cpu-prof");
const nodeFlags = profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
const WARMUP_MS = 500;

const skipped = new Map<string, string>();
for (const m of modes) {
  const reason = skipReason(m);
  if (reason) skipped.set(m, reason);
}
const netns = new Netns(interopDir);
if (modes.includes("go-micro-api") && !skipped.has("go-micro-api")) {
  const reason = netns.create();
  if (reason) skipped.set("go-micro-api", reason);
}
// the namespace must not outlive an interrupted run
process.once("SIGINT", () => {
  netns.delete();
  process.exit(130);
});

interface ClientResult {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

async function measure(mode: Mode, concurrency: number): Promise<Result> {
  const setup: CellSetup = {
    concurrency,
    started: [],
    clientTail: [String(duration), String(WARMUP_MS), "0"],
    nodeFlags,
    netns,
  };
  try {
    const cell = await setUp(mode, setup);
    const { service, gateway } = cell;
    const client = spawn(...cell.client, { stdio: ["ignore", "pipe", "inherit"] });
    const pids = { client: client.pid!, service: service.proc.pid!, gateway: gateway?.proc.pid };
    const ticks = () => ({
      client: cpuTicks(pids.client),
      service: cpuTicks(pids.service),
      gateway: pids.gateway ? cpuTicks(pids.gateway) : 0,
    });
    let t0 = ticks();
    let used = { client: 0, service: 0, gateway: 0 };
    let result: ClientResult | undefined;
    for await (const line of createInterface({ input: client.stdout! })) {
      const msg = JSON.parse(line) as { phase?: string } & Partial<ClientResult>;
      if (msg.phase === "measure") t0 = ticks();
      else if (msg.phase === "done") {
        const t1 = ticks();
        used = {
          client: t1.client - t0.client,
          service: t1.service - t0.service,
          gateway: t1.gateway - t0.gateway,
        };
      } else if (msg.requests !== undefined) result = msg as ClientResult;
    }
    if (!result) throw new Error(`${mode} c=${concurrency}: the load generator gave no result`);
    const gatewayRss = pids.gateway ? peakRssMiB(pids.gateway) : undefined;
    const serviceRss = peakRssMiB(pids.service);
    await stop(gateway);
    const perRequest = (t: number) => (t * TICK_US) / Math.max(1, result.requests);
    const lookups = gateway?.later.find((l) => "registryLookups" in l)?.registryLookups as number | undefined;
    return {
      mode,
      concurrency,
      rps: result.requests / result.seconds,
      p50: result.p50,
      p99: result.p99,
      gatewayCpuUs: pids.gateway ? perRequest(used.gateway) : undefined,
      serverCpuUs: perRequest(used.gateway + used.service),
      loadCpuUs: perRequest(used.client),
      gatewayRss,
      serviceRss,
      ...(lookups !== undefined ? { registryLookups: lookups } : {}),
    };
  } finally {
    // gateway first, then service (also when a start failed halfway)
    for (const p of setup.started.reverse()) await stop(p);
  }
}

const runs = new Map<string, Result[]>(); // key mode@concurrency, one entry per repetition
try {
  for (let rep = 0; rep < repeat; rep++) {
    for (const c of levels) {
      for (const m of modes) {
        if (skipped.has(m)) continue;
        process.stderr.write(
          `[${rep + 1}/${repeat}] measuring ${m} at concurrency ${c} for ${duration} ms...\n`,
        );
        const r = await measure(m as Mode, c);
        runs.set(`${m}@${c}`, [...(runs.get(`${m}@${c}`) ?? []), r]);
      }
    }
  }
} finally {
  netns.delete();
}
for (const m of skipped.keys()) process.stderr.write(`skip ${skipped.get(m)}\n`);

const cpu = cpus();
const lookups = [...runs.values()].flat().filter((r) => r.registryLookups !== undefined);
const lines = [
  'Small JSON calls ({"name":"John"} → {"msg":"Hello John"}) through HTTP gateways: load generator, gateway',
  "and service each in its own process on loopback (127.0.0.1); `direct` is our client calling the service",
  "with no gateway. HTTP load: client.js `http-load` (raw-socket HTTP/1.1, one keep-alive connection per caller).",
  "",
  `- date: ${new Date().toISOString()}`,
  `- machine: ${cpu.length} × ${cpu[0]?.model ?? "cpu"}`,
  `- Node ${process.version}; Go: ${modes.some((m) => m.includes("go")) ? goVersion() : "-"}`,
  `- ${duration} ms per cell after a ${WARMUP_MS} ms warm-up, closed loop, ${repeat} run(s) per cell${repeat > 1 ? " (median, min–max)" : ""}`,
  "",
  ...renderTables(runs, levels, modes),
];
if (lookups.length) {
  const total = lookups.reduce((n, r) => n + r.registryLookups!, 0);
  lines.push("", `Our gateway's registry lookups over all its cells (warm-up included): ${total}.`);
}
for (const [m, reason] of skipped) lines.push("", `skipped ${m}: ${reason}`);
const table = lines.join("\n");
console.log(table);
if (args.has("out")) writeFileSync(args.get("out")!, `${table}\n`);
