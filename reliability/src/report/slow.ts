// Section 5: a slow node among three, calls with a deadline.
import type { SlowFigures } from "../results.js";
import { causes, met, ms, n, table } from "./markdown.js";

export function renderSlow(list: SlowFigures[]): string {
  const s = list[0];
  const body = s
    ? [
        table(
          [
            "calls",
            "ok",
            "failed (by error)",
            "p50",
            "p99",
            "max",
            "failed calls: p99 / max",
            "answered per node",
            "most in the slow handler (second half)",
          ],
          [
            [
              n(s.load.calls),
              n(s.load.ok),
              s.load.failed ? `${n(s.load.failed)}: ${causes(s.load.errors, 2)}` : "0",
              ms(s.load.p50Ms),
              ms(s.load.p99Ms),
              ms(s.load.maxMs),
              s.load.failed ? `${ms(s.load.failedP99Ms)} / ${ms(s.load.failedMaxMs)}` : "—",
              Object.entries(s.load.perNode)
                .sort()
                .map(([k, v]) => `${k} ${n(v)}`)
                .join(", "),
              `${s.maxInflightSlow} (${s.maxInflightSlowLate})`,
            ],
          ],
        ),
        "",
        table(
          ["goal", ""],
          [s.goalDeadline, s.goalPileUp, s.goalOthers].map((g) => [g.text, met(g.met)]),
        ),
      ]
    : ["_not run_"];
  return [
    "### 5. A slow node",
    "",
    `Three nodes on etcd; n0 answers after ${s ? ms(s.slowDelayMs) : "2 s"} and ignores the caller's deadline (a stuck dependency would). Every call of the closed-loop load has a ${s ? ms(s.deadlineMs) : "500 ms"} deadline (\`CallOptions.timeout\`). n0 reports the calls inside its handler every 250 ms.`,
    "",
    ...body,
  ].join("\n");
}
