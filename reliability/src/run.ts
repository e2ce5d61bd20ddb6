// `node reliability/dist/run.js [--quick] [--only=kill,sigterm,slow,registry,broker]
//   [--registries=etcd,consul,nats] [--brokers=nats,rabbitmq,rabbitmq-defaults,kafka]
//   [--results=FILE] [--out=FILE]`
// Runs the chaos scenarios against our own server instances (started here, stopped at the end),
// records the figures and regenerates the report. --long (the default) writes
// reliability/results/chaos.json and RELIABILITY.md; --quick runs each scenario for seconds, to
// check the harness, and writes next to our servers' data instead.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatJson } from "./json.js";
import { CHAOS_JSON, CHAOS_SVC_DIR, RELIABILITY_MD, RESULTS_DIR } from "./paths.js";
import type { BrokerKind } from "./peers/brokers.js";
import { cleanup, onCleanup } from "./proc/reaper.js";
import type { ChaosResults } from "./results.js";
import { runInfo } from "./run-info.js";
import { BROKER_SETUPS, brokerScenario } from "./scenarios/broker.js";
import { BUDGETS } from "./scenarios/budget.js";
import { makeLog, type ScenarioContext } from "./scenarios/context.js";
import { killScenario } from "./scenarios/kill.js";
import type { RegistryKind } from "./scenarios/lookup.js";
import { registryScenario } from "./scenarios/registry.js";
import { slowScenario } from "./scenarios/slow.js";
import { Instances, type ServerName } from "./servers/instances.js";
import { processesUsing } from "./servers/leftovers.js";
import { writeReport } from "./write-report.js";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
const list = (name: string, all: string[]) => arg(name)?.split(",").filter(Boolean) ?? all;

const budget = BUDGETS[process.argv.includes("--quick") ? "quick" : "long"];
const only = new Set(list("only", ["kill", "sigterm", "slow", "registry", "broker"]));
const registries = list("registries", ["etcd", "consul", "nats"]) as RegistryKind[];
const brokers = list("brokers", ["nats", "rabbitmq", "rabbitmq-defaults", "kafka"]) as BrokerKind[];
const resultsFile =
  arg("results") ?? (budget.mode === "long" ? CHAOS_JSON : join(CHAOS_SVC_DIR, "chaos-quick.json"));
const outFile =
  arg("out") ?? (budget.mode === "long" ? RELIABILITY_MD : join(CHAOS_SVC_DIR, "RELIABILITY.quick.md"));

const log = makeLog();
const instances = new Instances(CHAOS_SVC_DIR);
onCleanup(() => instances.stopAll());
const ctx: ScenarioContext = { budget, instances, log };

// bounded whatever happens: a stuck scenario ends the run, with our servers stopped
const limitMs = budget.mode === "long" ? 30 * 60_000 : 12 * 60_000;
setTimeout(() => {
  log(`run exceeded ${limitMs / 60_000} min: stopping`);
  void cleanup().finally(() => process.exit(1));
}, limitMs).unref();

const t0 = Date.now();
const { mode, ...timings } = budget;
const results: ChaosResults = {
  run: await runInfo(mode, timings),
  kill: [],
  registry: [],
  broker: [],
  slow: [],
  skipped: [],
};
log(`${mode} run; our servers in ${CHAOS_SVC_DIR}`);

/** Runs one scenario; a failure is recorded as a skipped scenario with its reason. */
async function attempt<T>(name: string, fn: () => Promise<T>, into: T[]): Promise<void> {
  log(`== ${name}`);
  try {
    into.push(await fn());
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const reason = text.split("\n")[0]!;
    // the whole message: a peer's failure carries its stderr, which says why
    log(`${name}: FAILED ${text.slice(0, 4000)}`);
    results.skipped.push({ scenario: name, reason });
  }
}

const started = new Set<ServerName>();
async function ensure(name: ServerName): Promise<boolean> {
  if (started.has(name)) return true;
  log(`starting our ${name}`);
  try {
    await instances.start(name, { fresh: true });
    started.add(name);
    return true;
  } catch (err) {
    results.skipped.push({ scenario: `${name} scenarios`, reason: (err as Error).message.split("\n")[0]! });
    log(`${name}: ${(err as Error).message}`);
    return false;
  }
}
async function release(name: ServerName): Promise<void> {
  if (!started.delete(name)) return;
  await instances.stop(name).catch(() => {});
}

try {
  const needEtcd =
    ["kill", "sigterm", "slow"].some((s) => only.has(s)) ||
    (only.has("registry") && registries.includes("etcd"));
  if (needEtcd && (await ensure("etcd"))) {
    if (only.has("kill")) {
      await attempt(
        "kill -9, calls not marked",
        () => killScenario(ctx, { signal: "SIGKILL" }),
        results.kill,
      );
      await attempt(
        "kill -9, idempotent calls",
        () => killScenario(ctx, { signal: "SIGKILL", idempotent: true }),
        results.kill,
      );
    }
    if (only.has("sigterm"))
      await attempt(
        "SIGTERM, calls not marked",
        () => killScenario(ctx, { signal: "SIGTERM" }),
        results.kill,
      );
    if (only.has("slow")) await attempt("slow node", () => slowScenario(ctx), results.slow);
  }
  if (only.has("registry"))
    for (const kind of registries) {
      if (!(await ensure(kind))) continue;
      for (const fresh of [false, true])
        await attempt(
          `${kind} down, back ${fresh ? "empty" : "with its data"}`,
          () => registryScenario(ctx, kind, fresh),
          results.registry,
        );
      if (kind !== "nats" || !only.has("broker")) await release(kind);
    }
  if (only.has("broker"))
    for (const kind of brokers) {
      const server = BROKER_SETUPS[kind].server;
      if (!(await ensure(server))) continue;
      await attempt(`${BROKER_SETUPS[kind].label} restart`, () => brokerScenario(ctx, kind), results.broker);
      // the two RabbitMQ setups share one instance
      if (!brokers.slice(brokers.indexOf(kind) + 1).some((k) => BROKER_SETUPS[k].server === server))
        await release(server);
    }
} finally {
  await cleanup();
}
for (const p of processesUsing(CHAOS_SVC_DIR))
  log(`WARNING: still running from ${CHAOS_SVC_DIR}: pid ${p.pid} ${p.cmd}`);

results.run.durationMs = Date.now() - t0;
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(resultsFile, formatJson(results));
log(`figures in ${resultsFile}`);
writeReport({ resultsDir: RESULTS_DIR, chaosJson: resultsFile, out: outFile });
log(`done in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
process.exit(0);
