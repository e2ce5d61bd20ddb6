// Where and with what a run happens: date, machine, Node.js, server versions.
import { execFileSync } from "node:child_process";
import { cpus, loadavg, release, totalmem, type } from "node:os";
import { ROOT } from "./paths.js";
import type { RunInfo } from "./results.js";
import { serverVersions } from "./servers/versions.js";

export async function runInfo(mode: RunInfo["mode"], timings: Record<string, number>): Promise<RunInfo> {
  const cpu = cpus();
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    mode,
    durationMs: 0,
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    commit: commit(),
    loadAverage: loadavg(),
    servers: await serverVersions(),
    timings,
  };
}

/** The commit the run measured, and whether the tree had changes on top of it. */
function commit(): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: ROOT, encoding: "utf8", timeout: 10_000 }).trim();
  try {
    const head = git("rev-parse", "--short", "HEAD");
    return git("status", "--porcelain", "--untracked-files=no") ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}
