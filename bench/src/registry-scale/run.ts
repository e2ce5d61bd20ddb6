// Issue 19's registry scale bench on a real etcd: at each N, a holder process registers N services
// (2 nodes, 3 endpoints each) and re-registers them every interval; this process, another client of
// the same etcd, measures listServices and getService; etcd's metrics give the lease traffic.
//   node bench/dist/registry-scale/run.js [--sizes=10,100,1000,5000,10000] [--module=path] [--label=after]
//     [--ttl=6000] [--interval=3000] [--reps=20] [--address=127.0.0.1:2379] [--out=file]
//     [--cli=path to micro's bin.js | none]
import { execFile, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { silentLogger } from "@micro/core";
import { quantiles } from "../stats.js";
import { diff, leaseCounters } from "./etcd-metrics.js";
import { loadRegistry, scaleService } from "./shape.js";

const arg = (name: string, dflt: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;

const sizes = arg("sizes", "10,100,1000,5000,10000").split(",").map(Number);
const defaultModule = fileURLToPath(
  new URL("../../../packages/registry-etcd/dist/index.js", import.meta.url),
);
const module = pathToFileURL(arg("module", defaultModule)).href;
const label = arg("label", "after");
const ttl = Number(arg("ttl", "6000"));
const interval = Number(arg("interval", "3000"));
const reps = Number(arg("reps", "20"));
const address = arg("address", "127.0.0.1:2379");
const out = arg("out", "");
// `micro services` against the same etcd, from the shell (its own etcd registry, not --module's);
// --cli=none leaves the column out
const cli = arg("cli", fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url)));
const metricsUrl = `http://${address}/metrics`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Held {
  nodes: number;
  registerMs: number;
  heapPerNode: number;
  rssPerNode: number;
}

function hold(n: number): Promise<{ held: Held; stop: () => Promise<void> }> {
  const holder = fileURLToPath(new URL("./holder.js", import.meta.url));
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      holder,
      `--n=${n}`,
      `--ttl=${ttl}`,
      `--interval=${interval}`,
      `--address=${address}`,
      `--module=${module}`,
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`holder exited (${code}) before registering`)));
    createInterface({ input: child.stdout }).once("line", (line) =>
      resolve({
        held: JSON.parse(line) as Held,
        stop: async () => {
          child.stdin.end();
          await exited;
        },
      }),
    );
  });
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value?: T; error?: string }> {
  const t = performance.now();
  try {
    const value = await f();
    return { ms: performance.now() - t, value };
  } catch (err) {
    return { ms: performance.now() - t, error: (err as Error).message };
  }
}

/** Median wall time of `micro services` (after one run that fills Node's compile cache). */
async function microServices(n: number): Promise<string> {
  if (cli === "none") return "-";
  const once = () =>
    new Promise<{ ms: number; count: number }>((resolve, reject) => {
      const t = performance.now();
      const args = [cli, "--registry=etcd", `--registry_address=${address}`, "services", "--output=json"];
      execFile(process.execPath, args, { maxBuffer: 256 << 20 }, (err, stdout) => {
        if (err) reject(err);
        else resolve({ ms: performance.now() - t, count: (JSON.parse(stdout) as unknown[]).length });
      });
    });
  await once();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await once();
    if (r.count < n) throw new Error(`micro services listed ${r.count} of ${n} services`);
    runs.push(r.ms);
  }
  return quantiles(runs).p50.toFixed(0);
}

const kb = (b: number) => (b / 1024).toFixed(1);
const rows: string[] = [];
const head =
  "| N services | nodes | register s | listServices p50 / p99 ms | listed | getService p50 ms | heap KB/node | RSS KB/node | keep-alive msgs/min | keep-alive streams/min | micro services p50 ms |\n|---|---|---|---|---|---|---|---|---|---|---|";
console.log(`# ${label}: ${module} (TTL ${ttl} ms, re-register every ${interval} ms)\n\n${head}`);
const Registry = await loadRegistry(module);
for (const n of sizes) {
  const { held, stop } = await hold(n);
  // lease traffic over one TTL, as etcd counts it
  await sleep(1000);
  const a = await leaseCounters(metricsUrl);
  await sleep(ttl);
  const lease = diff(a, await leaseCounters(metricsUrl));
  const perMin = (x: number) => Math.round((x * 60_000) / ttl);

  const reader = new Registry({ addresses: [address], logger: silentLogger });
  await reader.getService("warm-up"); // connect first: the figures are of a client already connected
  const lists: number[] = [];
  let listed = 0;
  let listError = "";
  for (let i = 0; i < reps && !listError; i++) {
    const r = await timed(() => reader.listServices());
    if (r.error) listError = `${r.error.slice(0, 90)}… after ${r.ms.toFixed(0)} ms`;
    else {
      lists.push(r.ms);
      listed = new Set(r.value!.map((s) => s.name)).size;
    }
  }
  const gets: number[] = [];
  for (let i = 0; i < 50; i++)
    gets.push((await timed(() => reader.getService(scaleService((i * 7919) % n).name))).ms);
  await reader.close();
  const cliMs = await microServices(n);
  await stop();

  const q = quantiles(lists);
  const list = listError ? `**fails**: ${listError}` : `${q.p50.toFixed(1)} / ${q.p99.toFixed(1)}`;
  const row = `| ${n} | ${held.nodes} | ${(held.registerMs / 1000).toFixed(1)} | ${list} | ${listError ? "-" : listed} | ${quantiles(gets).p50.toFixed(1)} | ${kb(held.heapPerNode)} | ${kb(held.rssPerNode)} | ${perMin(lease.keepAliveMsgs)} | ${perMin(lease.keepAliveStreams)} | ${cliMs} |`;
  rows.push(row);
  console.log(row);
}
if (out)
  appendFileSync(
    out,
    `\n${label} (TTL ${ttl} ms, re-register every ${interval} ms)\n\n${head}\n${rows.join("\n")}\n`,
  );
