// kill -9 (or SIGTERM) one of three nodes under a closed-loop load, etcd as the shared registry.
// A killed node's calls in flight can only fail or be retried elsewhere; a SIGTERMed one
// deregisters and drains first, so nothing may be lost.
import { setTimeout as sleep } from "node:timers/promises";
import type { KillFigures } from "../results.js";
import { SERVER_URLS } from "../servers/instances.js";
import { Cluster } from "./cluster.js";
import type { ScenarioContext } from "./context.js";
import { Load, loadFigures } from "./load.js";

export interface KillCase {
  signal: "SIGKILL" | "SIGTERM";
  /** CallOptions.idempotent for every call; undefined: not marked. */
  idempotent?: boolean;
}

export async function killScenario(ctx: ScenarioContext, c: KillCase): Promise<KillFigures> {
  const { budget: b } = ctx;
  const variant = c.idempotent === undefined ? "not marked" : `idempotent: ${c.idempotent}`;
  const service = `chaos-${c.signal.toLowerCase()}-${c.idempotent ? "idem" : "plain"}-${Date.now()}`;
  const cluster = await Cluster.start({ registry: "etcd", url: SERVER_URLS.etcd, service });
  try {
    const load = await Load.start(cluster, {
      concurrency: b.concurrency,
      maxMs: b.beforeMs + b.afterMs + 30_000,
      expectNodes: 3,
      ...(c.idempotent !== undefined ? { idempotent: c.idempotent } : {}),
    });
    await sleep(b.beforeMs);
    const victim = cluster.nodes[0]!;
    const faultAt = Date.now();
    ctx.log(`${c.signal} node n0 (pid ${victim.pid}), calls ${variant}`);
    victim.proc.kill(c.signal);
    await sleep(b.afterMs);
    const figures = loadFigures(await load.finish(), b.concurrency, faultAt);
    const goal =
      c.signal === "SIGTERM" || c.idempotent
        ? { text: "0 failed calls", met: figures.failed === 0 }
        : {
            text: `failed calls ≤ concurrency (${b.concurrency})`,
            met: figures.failed <= b.concurrency,
          };
    return { signal: c.signal, variant, load: figures, goal };
  } finally {
    await cluster.stop();
  }
}
