// One line per goal of the chaos runs, so the state of the whole suite reads at a glance.
import type { ChaosResults, Goal } from "../results.js";
import { met, ms, n, table } from "./markdown.js";

interface Row {
  figure: string;
  goal: Goal;
  measured: string;
}

function rows(r: ChaosResults): Row[] {
  const out: Row[] = [];
  for (const k of r.kill)
    out.push({
      figure: `${k.signal === "SIGKILL" ? "kill -9" : "SIGTERM"} one of three (${k.variant})`,
      goal: k.goal,
      measured: `${n(k.load.failed)} of ${n(k.load.calls)} calls failed`,
    });
  for (const g of r.registry) {
    const what = `${g.registry} down ${ms(g.downMs)}, back with ${g.restart}`;
    out.push({
      figure: `${what}: calls`,
      goal: g.goalCalls,
      measured: `${n(g.load.failed)} of ${n(g.load.calls)} failed`,
    });
    out.push({
      figure: `${what}: re-registration`,
      goal: g.goalRegistered,
      measured: g.reregisteredMs === null ? `not within ${ms(g.waitedMs)}` : ms(g.reregisteredMs),
    });
  }
  for (const b of r.broker)
    out.push({
      figure: `${b.broker} restart, durable subscriber`,
      goal: b.goal,
      measured: `${n(b.lost)} of ${n(b.acked)} acked lost, ${n(b.duplicates)} duplicates`,
    });
  for (const s of r.slow) {
    out.push({
      figure: "slow node: deadline",
      goal: s.goalDeadline,
      measured: `p99 ${ms(s.load.p99Ms)}; calls that met the slow node: p99 ${ms(s.load.failedP99Ms)}, max ${ms(s.load.failedMaxMs)}`,
    });
    out.push({
      figure: "slow node: pile-up",
      goal: s.goalPileUp,
      measured: `at most ${s.maxInflightSlow} in flight`,
    });
    out.push({
      figure: "slow node: others serve",
      goal: s.goalOthers,
      measured: `${n(s.fastServed)} answered by the fast nodes`,
    });
  }
  return out;
}

export function renderSummary(r: ChaosResults): string {
  const list = rows(r);
  const kept = list.filter((x) => x.goal.met).length;
  const skipped = r.skipped.map((s) => `- ${s.scenario}: not run (${s.reason})`);
  return [
    "## Summary",
    "",
    `${kept} of ${list.length} goals met.`,
    "",
    table(
      ["figure", "goal", "measured", ""],
      list.map((x) => [x.figure, x.goal.text, x.measured, met(x.goal.met)]),
    ),
    ...(skipped.length ? ["", ...skipped] : []),
  ].join("\n");
}
