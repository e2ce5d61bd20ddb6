// After a run nothing started from our server dir may still run: a server whose PID file was lost
// would hold its ports for the next run. Reported, not killed (we end processes by their PID file).
import { readdirSync, readFileSync } from "node:fs";

/** PIDs and command lines of the processes whose command line names `dir`. */
export function processesUsing(dir: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      if (cmd.includes(dir)) out.push({ pid: Number(entry), cmd: cmd.slice(0, 160) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
