// Section 4: broker restarts under a steady publisher with a durable subscriber.
import type { BrokerFigures } from "../results.js";
import { causes, met, ms, n, table } from "./markdown.js";

export function renderBroker(list: BrokerFigures[]): string {
  const notes = list.filter((b) => b.note).map((b) => `- ${b.broker}: ${b.note}`);
  return [
    "### 4. Broker restarts with a durable subscriber",
    "",
    "A publisher process publishes the numbers 0, 1, 2, … at a steady rate (at most 32 awaiting the broker); a subscriber process holds a durable subscription in a queue group. The broker (our own instance) is stopped and started again with its data mid-run. _Acked_: publish() resolved; _lost_: acked numbers the subscriber never received (goal 0); _duplicates_: deliveries beyond the first (allowed, reported); _resumed_: from the broker being ready until the subscriber got a new message.",
    "",
    !list.length
      ? "_not run_"
      : table(
          [
            "broker",
            "setup",
            "published",
            "acked",
            "rejected (by error)",
            "received",
            "lost",
            "duplicates",
            "restart",
            "resumed",
            "goal",
            "",
          ],
          list.map((b) => [
            b.broker,
            b.setup,
            n(b.attempted),
            n(b.acked),
            b.rejected ? `${n(b.rejected)}: ${causes(b.rejectedBy, 2)}` : "0",
            n(b.received),
            b.lost ? `${n(b.lost)} (${lostWhere(b)})` : "0",
            n(b.duplicates),
            ms(b.restartMs),
            ms(b.resumedMs),
            b.goal.text,
            met(b.goal.met),
          ]),
        ),
    ...(notes.length ? ["", ...notes] : []),
  ].join("\n");
}

/** Where the losses were: their ranges, beside the number being published at the stop. */
function lostWhere(b: BrokerFigures): string {
  const shown = b.lostRanges.slice(0, 3).map(([x, y]) => (x === y ? `#${x}` : `#${x}–${y}`));
  if (b.lostRanges.length > 3) shown.push("…");
  return `${shown.join(", ")}; stopped near #${b.stoppedAtSeq}`;
}
