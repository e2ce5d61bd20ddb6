// The top of RELIABILITY.md: what the file is, how to regenerate it, and where the run happened.
import type { RunInfo } from "../results.js";
import { table } from "./markdown.js";

export function renderHeader(run: RunInfo | undefined): string {
  const intro = [
    "# Reliability",
    "",
    "What Micro for TypeScript keeps when things break: process kills under load, registries and",
    "brokers going away, a slow node; fuzzing; hostile input on the transport. Each figure states its",
    "goal and whether the run met it. Generated — do not edit by hand:",
    "",
    "```sh",
    "pnpm -F @micro/reliability build",
    "pnpm -F @micro/reliability chaos     # the chaos runs (~8–10 min on 2 cores), then this file",
    "pnpm -F @micro/reliability render    # this file again from reliability/results/ (no runs)",
    "```",
    "",
    "How the runs work and what each figure means: [reliability/README.md](reliability/README.md).",
  ];
  if (!run)
    return [...intro, "", "_Chaos figures pending: no run recorded in reliability/results/chaos.json._"].join(
      "\n",
    );
  const servers = Object.entries(run.servers).map(([k, v]) => `${k} ${v}`);
  const facts = table(
    ["run", "value"],
    [
      ["date", run.date],
      ["mode", `${run.mode} (took ${(run.durationMs / 60_000).toFixed(1)} min)`],
      ["machine", `${run.cpus} cores (${run.cpuModel}), ${run.memoryGb} GB, ${run.os}`],
      ["load average at start", run.loadAverage.map((x) => x.toFixed(2)).join(" ")],
      ["Node.js", run.node],
      ["tree", run.commit],
      ["servers", servers.join("; ")],
    ],
  );
  return [...intro, "", facts].join("\n");
}
