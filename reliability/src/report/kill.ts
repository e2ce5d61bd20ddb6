// Sections 1 and 2: one node of three killed (kill -9) or stopped (SIGTERM) under load.
import type { KillFigures } from "../results.js";
import { causes, met, ms, n, table } from "./markdown.js";

const head = ["calls", "variant", "calls made", "failed", "failed by error", "recovery", "p99", "goal", ""];

function row(k: KillFigures): (string | number)[] {
  return [
    k.signal === "SIGKILL" ? "kill -9" : "SIGTERM",
    k.variant,
    n(k.load.calls),
    n(k.load.failed),
    causes(k.load.errors),
    ms(k.load.recoveryMs),
    ms(k.load.p99Ms),
    k.goal.text,
    met(k.goal.met),
  ];
}

export function renderKill(kills: KillFigures[]): string {
  const killed = kills.filter((k) => k.signal === "SIGKILL");
  const termed = kills.filter((k) => k.signal === "SIGTERM");
  const c = kills[0]?.load.concurrency ?? 0;
  const intro = (what: string) =>
    `Three nodes of one service, each its own process (http transport, etcd registry from our own instance), a closed-loop load of ${c} callers in a fourth; ${what} of node n0 mid-run. _Recovery_ is the time from the signal to the end of the last failed call.`;
  return [
    "### 1. kill -9 one of three nodes under load",
    "",
    intro("`kill -9`"),
    "Calls marked `idempotent: true` may be retried on another node after the connection drops (goal: none fail); calls not marked are not retried after their request left (go-micro's rule), so at most the calls in flight on the dying node fail (goal: ≤ concurrency).",
    "",
    killed.length ? table(head, killed.map(row)) : "_not run_",
    "",
    "### 2. SIGTERM one of three nodes under load",
    "",
    intro("SIGTERM"),
    "A stopping node deregisters, stops listening and drains what it has: goal 0 lost.",
    "",
    termed.length ? table(head, termed.map(row)) : "_not run_",
  ].join("\n");
}
