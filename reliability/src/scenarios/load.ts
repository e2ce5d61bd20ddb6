// The load process seen from the runner: started against a cluster, stopped on demand, its summary
// turned into the figures of one window around a fault.

import type { LoadConfig } from "../peers/load.js";
import type { LoadSummary } from "../peers/tally.js";
import { Child } from "../proc/child.js";
import type { LoadFigures } from "../results.js";
import type { Cluster } from "./cluster.js";
import { peerScript } from "./context.js";

export class Load {
  private constructor(readonly child: Child) {}

  /** Starts the load; resolves once every node has answered and the clock runs. */
  static async start(cluster: Cluster, config: LoadConfig): Promise<Load> {
    const child = Child.node("load", peerScript("load"), [JSON.stringify(config)], cluster.env);
    await child.waitFor((l) => l.event === "started", 30_000, "the load to start");
    return new Load(child);
  }

  async finish(): Promise<LoadSummary> {
    this.child.send("stop");
    const done = await this.child.waitFor((l) => l.event === "done", 60_000, "the load's summary");
    await this.child.stop("SIGTERM", 5000);
    return done as unknown as LoadSummary;
  }
}

/** The figures of a load summary, recovery counted from `faultAt` (epoch ms). */
export function loadFigures(s: LoadSummary, concurrency: number, faultAt?: number): LoadFigures {
  const recoveryMs =
    faultAt !== undefined && s.lastFailureAt !== null && s.lastFailureAt >= faultAt
      ? s.lastFailureAt - faultAt
      : 0;
  return {
    concurrency,
    calls: s.calls,
    ok: s.ok,
    failed: s.failed,
    errors: s.errors,
    recoveryMs,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    maxMs: s.maxMs,
    failedP99Ms: s.failedP99Ms,
    failedMaxMs: s.failedMaxMs,
    perNode: s.perNode,
  };
}
