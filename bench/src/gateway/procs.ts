// Starting the suite's server-side processes: each prints its address as its first JSON line (as
// src/server.ts does); later lines (the gateway's registry lookup count on SIGTERM) are kept.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

export interface Started {
  proc: ChildProcess;
  address: string;
  /** JSON lines printed after the address, parsed. */
  later: Record<string, unknown>[];
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Drop stderr: Go binaries log TLS and registry notices there. */
  quiet?: boolean;
}

/** Spawns and waits for the first stdout line, {"address"} or {"skip"}; fails when it exits first. */
export async function start(cmd: string, argv: string[], o: StartOptions = {}): Promise<Started> {
  const proc = spawn(cmd, argv, {
    stdio: ["ignore", "pipe", o.quiet ? "ignore" : "inherit"],
    env: o.env ?? process.env,
  });
  const rl = createInterface({ input: proc.stdout! });
  const exited = once(proc, "exit").then(([code]) => {
    throw new Error(`${cmd} ${argv.join(" ")} exited (${code}) before printing its address`);
  });
  const [line] = (await Promise.race([once(rl, "line"), exited])) as [string];
  exited.catch(() => {}); // it exits at the end of the cell, after the race is long over
  const first = JSON.parse(line) as { address?: string; skip?: string };
  if (!first.address) throw new Error(first.skip ?? `${cmd}: no address in ${line}`);
  const later: Record<string, unknown>[] = [];
  rl.on("line", (l) => {
    if (l.startsWith("{")) later.push(JSON.parse(l) as Record<string, unknown>);
  });
  return { proc, address: first.address, later };
}

/** A process with a known address that prints nothing useful (go-micro's `micro api`). */
export function spawnQuiet(cmd: string, argv: string[], address: string, env?: NodeJS.ProcessEnv): Started {
  const proc = spawn(cmd, argv, { stdio: "ignore", env: env ?? process.env });
  return { proc, address, later: [] };
}

/** SIGTERM and wait for the exit (and for the stdout lines it printed while stopping). */
export async function stop(s: Started | undefined): Promise<void> {
  if (!s || s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const exited = once(s.proc, "close");
  s.proc.kill("SIGTERM");
  await exited;
}
