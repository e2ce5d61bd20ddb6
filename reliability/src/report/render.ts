// RELIABILITY.md from the recorded figures: the chaos run's JSON and the fragments other parts of
// the suite commit. Pure, so the test can render fixtures.
import type { ChaosResults } from "../results.js";
import { renderBroker } from "./broker.js";
import { FRAGMENTS, type Fragment } from "./fragments.js";
import { renderHeader } from "./header.js";
import { renderKill } from "./kill.js";
import { shiftHeadings } from "./markdown.js";
import { renderRegistry } from "./registry.js";
import { renderSlow } from "./slow.js";
import { renderSummary } from "./summary.js";

export interface ReportInput {
  chaos?: ChaosResults;
  /** Fragment text by file name (see fragments.ts). */
  fragments: Record<string, string>;
}

function renderFragment(f: Fragment, text: string | undefined): string {
  const body = text?.trim() ? shiftHeadings(text.trim(), 3) : `_Pending: ${f.pending}_`;
  return [`## ${f.title}`, "", body].join("\n");
}

export function renderReliability(input: ReportInput, fragments: readonly Fragment[] = FRAGMENTS): string {
  const c = input.chaos;
  const parts = [renderHeader(c?.run)];
  if (c) {
    parts.push(
      renderSummary(c),
      [
        "## Chaos",
        "",
        "Process level, real servers, loopback only, every run bounded; the servers are instances of our own (own ports and data dirs), never the shared ones the tests use.",
      ].join("\n"),
      renderKill(c.kill),
      renderRegistry(c.registry),
      renderBroker(c.broker),
      renderSlow(c.slow),
    );
  }
  for (const f of fragments) parts.push(renderFragment(f, input.fragments[f.file]));
  return `${parts.join("\n\n")}\n`;
}
