// `node reliability/dist/render.js [--no-import] [--out=FILE]`: RELIABILITY.md again from
// reliability/results/ (chaos.json and the fragments), without running anything.
import { CHAOS_JSON, RELIABILITY_MD, RESULTS_DIR } from "./paths.js";
import { writeReport } from "./write-report.js";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
writeReport({
  resultsDir: RESULTS_DIR,
  chaosJson: arg("results") ?? CHAOS_JSON,
  out: arg("out") ?? RELIABILITY_MD,
  importFrom: !process.argv.includes("--no-import"),
});
