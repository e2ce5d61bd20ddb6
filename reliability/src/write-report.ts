// Reads the recorded figures (after importing the fragments other parts of the suite wrote) and
// writes RELIABILITY.md.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { importFragments, readFragments } from "./report/fragments.js";
import { renderReliability } from "./report/render.js";
import type { ChaosResults } from "./results.js";

export function writeReport(o: {
  resultsDir: string;
  chaosJson: string;
  out: string;
  importFrom?: boolean;
}): void {
  if (o.importFrom !== false)
    for (const line of importFragments(o.resultsDir)) console.error(`[report] copied ${line}`);
  const chaos = existsSync(o.chaosJson)
    ? (JSON.parse(readFileSync(o.chaosJson, "utf8")) as ChaosResults)
    : undefined;
  writeFileSync(o.out, renderReliability({ chaos, fragments: readFragments(o.resultsDir) }));
  console.error(`[report] wrote ${o.out}`);
}
