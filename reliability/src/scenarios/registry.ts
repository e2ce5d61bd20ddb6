// The registry down under load: stopped, kept down, started again with its data or with an empty
// data dir. Calls must go on from the selector's cache; afterwards every node must be listed again.
import { setTimeout as sleep } from "node:timers/promises";
import type { RegistryFigures } from "../results.js";
import { SERVER_URLS } from "../servers/instances.js";
import { Cluster } from "./cluster.js";
import type { ScenarioContext } from "./context.js";
import { Load, loadFigures } from "./load.js";
import { type RegistryKind, waitVisible } from "./lookup.js";

/** The longest a node waits to register again by itself: core's --register_interval default. */
const REGISTER_INTERVAL_MS = 30_000;

const NOTES: Partial<Record<RegistryKind, string>> = {
  nats: "go-micro's NATS registry has no store: each process answers for its own nodes, so an empty data dir changes nothing",
};

export async function registryScenario(
  ctx: ScenarioContext,
  kind: RegistryKind,
  fresh: boolean,
): Promise<RegistryFigures> {
  const { budget: b, instances } = ctx;
  const url = SERVER_URLS[kind];
  const service = `chaos-registry-${kind}-${fresh ? "empty" : "same"}-${Date.now()}`;
  const cluster = await Cluster.start({ registry: kind, url, service });
  try {
    const load = await Load.start(cluster, {
      concurrency: b.concurrency,
      maxMs: b.beforeMs + b.registryDownMs + b.reregisterWaitMs + b.registryAfterMs + 120_000,
      expectNodes: 3,
    });
    await sleep(b.beforeMs);
    const stopAt = Date.now();
    ctx.log(`${kind}: stopping for ${b.registryDownMs / 1000} s`);
    await instances.stop(kind);
    await sleep(Math.max(0, stopAt + b.registryDownMs - Date.now()));
    ctx.log(`${kind}: starting again${fresh ? " with an empty data dir" : " with its data"}`);
    await instances.start(kind, { fresh });
    const readyAt = Date.now();
    const reregisteredMs = await waitVisible(kind, url, service, cluster.addresses, b.reregisterWaitMs);
    ctx.log(`${kind}: every node listed ${reregisteredMs === null ? "never" : `after ${reregisteredMs} ms`}`);
    await sleep(b.registryAfterMs);
    const figures = loadFigures(await load.finish(), b.concurrency, stopAt);
    return {
      registry: kind,
      restart: fresh ? "empty data dir" : "same data",
      downMs: readyAt - stopAt,
      load: figures,
      reregisteredMs,
      waitedMs: b.reregisterWaitMs,
      goalCalls: { text: "0 failed calls (nodes served from the cache)", met: figures.failed === 0 },
      goalRegistered: {
        text: `every node listed again ≤ ${REGISTER_INTERVAL_MS / 1000} s after the registry is back (one --register_interval)`,
        met: reregisteredMs !== null && reregisteredMs <= REGISTER_INTERVAL_MS,
      },
      ...(NOTES[kind] ? { note: NOTES[kind] } : {}),
    };
  } finally {
    await cluster.stop();
  }
}
