// Issue 19 items 3 and 4: how long `micro --help` and `micro services` (mdns, 10 services) take from
// the shell, against an empty Node as the floor, and how long a first mdns lookup of a present
// service takes. Usage: node dist/cli-startup/run.js [runs] [micro's bin.js] (build the CLI first).
import { fileURLToPath } from "node:url";
import { silentLogger } from "@micro/core";
import { MdnsRegistry } from "@micro/registry-mdns";
import { summary, type Timing, time } from "./timing.js";

const RUNS = Number(process.argv[2] ?? 20);
const MICRO = process.argv[3] ?? fileURLToPath(new URL("../../../packages/cli/dist/bin.js", import.meta.url));
const env = { ...process.env, MICRO_MDNS_INTERFACE: "127.0.0.1" };

const server = new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger });
for (let i = 0; i < 10; i++)
  await server.register({
    name: `bench.startup.${i}`,
    version: "1.0.0",
    endpoints: [],
    nodes: [{ id: `bench-${i}`, address: `127.0.0.1:${9000 + i}`, metadata: {} }],
  });

const rows: Timing[] = [
  await time('node -e ""', RUNS, process.execPath, ["-e", ""]),
  await time("micro --help", RUNS, process.execPath, [MICRO, "--help"], env),
  await time("micro services (mdns, 10)", RUNS, process.execPath, [MICRO, "services"], env),
];

// a first lookup: a new registry each time, as a new process's first call has
const lookups: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const asker = new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger });
  const started = performance.now();
  const found = await asker.getService("bench.startup.3");
  lookups.push(performance.now() - started);
  if (!found.length) throw new Error("bench.startup.3 not found");
  await asker.close();
}
rows.push(summary("mdns first getService (present)", lookups));
await server.close();

console.log(`| what (${RUNS} runs) | median ms | p90 ms |\n| --- | ---: | ---: |`);
for (const r of rows) console.log(`| ${r.label} | ${r.median.toFixed(0)} | ${r.p90.toFixed(0)} |`);
