// Measurement helpers shared by run.ts, client.ts and the gateway suite (src/gateway/): CPU time and
// peak memory of a process from /proc, latency quantiles, and the "median (min–max)" table cells.
import { readdirSync, readFileSync } from "node:fs";

/** µs per clock tick: USER_HZ is 100 on Linux. */
export const TICK_US = 1e6 / 100;

/** utime + stime of a live process and its live descendants (a server's workers), in clock ticks. */
export function cpuTicks(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += Number(fields[11]) + Number(fields[12]); // utime + stime
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** `pid` and every live process below it. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** Peak resident set size in MiB (VmHWM), read while the process is still alive. */
export function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

/** p50 and p99 of the latencies (µs). */
export function quantiles(latencies: ArrayLike<number>): { p50: number; p99: number } {
  const sorted = Float64Array.from(latencies).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return { p50: q(0.5), p99: q(0.99) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const fmt = (n: number, d = 0) => n.toFixed(d);

/** "median (min–max)" when repeated, the single figure otherwise. */
export function cell(xs: number[], d = 0): string {
  if (xs.length === 1) return fmt(xs[0]!, d);
  return `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})`;
}
