// One node of three answers after 2 s, ignoring the caller's deadline (a stuck dependency); every
// call has a 500 ms deadline. Calls must end by it, the slow node must not collect ever more calls,
// and the other two must keep answering throughout.
import { setTimeout as sleep } from "node:timers/promises";
import type { LoadSummary } from "../peers/tally.js";
import type { SlowFigures } from "../results.js";
import { SERVER_URLS } from "../servers/instances.js";
import { Cluster } from "./cluster.js";
import type { ScenarioContext } from "./context.js";
import { Load, loadFigures } from "./load.js";

const SLOW_MS = 2000;
const DEADLINE_MS = 500;
/** What "by the deadline" allows for timers and a busy 2-core machine. */
const MARGIN_MS = 100;

export async function slowScenario(ctx: ScenarioContext): Promise<SlowFigures> {
  const { budget: b } = ctx;
  const service = `chaos-slow-${Date.now()}`;
  const cluster = await Cluster.start({
    registry: "etcd",
    url: SERVER_URLS.etcd,
    service,
    slowFirstMs: SLOW_MS,
  });
  try {
    const slow = cluster.nodes[0]!;
    const load = await Load.start(cluster, {
      concurrency: b.concurrency,
      maxMs: b.slowMs + 30_000,
      expectNodes: 3,
      timeoutMs: DEADLINE_MS,
    });
    const from = slow.lines.length;
    const t0 = Date.now();
    ctx.log(`slow node: ${b.slowMs / 1000} s of calls with a ${DEADLINE_MS} ms deadline`);
    await sleep(b.slowMs);
    const summary: LoadSummary = await load.finish();
    const stats = slow.lines.slice(from).filter((l) => l.event === "stats");
    const max = (ls: typeof stats) => Math.max(0, ...ls.map((l) => Number(l.max)));
    const late = stats.filter((l) => Number(l.at) >= t0 + b.slowMs / 2);
    const figures = loadFigures(summary, b.concurrency);
    const fastServed = Object.entries(figures.perNode)
      .filter(([node]) => node !== "n0")
      .reduce((n, [, v]) => n + v, 0);
    // each caller holds at most one call at a time, and a call it gave up on at the deadline stays
    // in the slow handler for SLOW_MS: more than this many at once would be calls piling up
    const bound = b.concurrency * Math.ceil(SLOW_MS / DEADLINE_MS);
    const quietSeconds = summary.perSecond.slice(0, -1).filter(([ok]) => ok === 0).length;
    return {
      slowDelayMs: SLOW_MS,
      deadlineMs: DEADLINE_MS,
      load: figures,
      maxInflightSlow: max(stats),
      maxInflightSlowLate: max(late),
      inflightBound: bound,
      fastServed,
      // most calls never meet the slow node (the selector avoids it for 10 s after a failure),
      // so the p99 that says whether deadlines hold is that of the calls that did: the failed ones
      goalDeadline: {
        text: `calls end by their deadline: p99 of all calls and of those that met the slow node ≤ deadline + ${MARGIN_MS} ms (${DEADLINE_MS + MARGIN_MS} ms)`,
        met: figures.p99Ms <= DEADLINE_MS + MARGIN_MS && figures.failedP99Ms <= DEADLINE_MS + MARGIN_MS,
      },
      goalPileUp: {
        text: `calls in the slow node's handler at once ≤ concurrency × ⌈${SLOW_MS}/${DEADLINE_MS}⌉ (${bound})`,
        met: stats.length > 0 && max(stats) <= bound,
      },
      goalOthers: {
        text: "the fast nodes answer in every second of the run",
        met: quietSeconds === 0 && fastServed > 0,
      },
    };
  } finally {
    await cluster.stop();
  }
}
