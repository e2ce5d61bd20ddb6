// Wall time of a child process, run N times, as median and p90 (a small hyperfine).
import { spawn } from "node:child_process";

export interface Timing {
  label: string;
  median: number;
  p90: number;
}

function once(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // async spawn: this process answers mdns questions while the child runs
    const child = spawn(cmd, args, { env, stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(" ")}: exit ${code}`)),
    );
  });
}

export function summary(label: string, ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { label, median: at(0.5), p90: at(0.9) };
}

export async function time(
  label: string,
  runs: number,
  cmd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Timing> {
  await once(cmd, args, env); // warm the file cache
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(await once(cmd, args, env));
  return summary(label, ms);
}
