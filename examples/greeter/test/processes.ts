// The example's processes for tests: started from dist/, their output collected line by line.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** mdns pinned to loopback, listeners on loopback ports. */
const loopbackEnv = {
  ...process.env,
  MICRO_MDNS_INTERFACE: "127.0.0.1",
  MICRO_SERVER_ADDRESS: "127.0.0.1:0",
  MICRO_BROKER_ADDRESS: "127.0.0.1:0",
  MICRO_LOG_LEVEL: "info",
};

export interface Running {
  process: ChildProcess;
  lines: string[];
  /** The first line matching `pattern`, waiting up to `ms` for it. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** SIGTERM unless it has exited; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function start(script: string, args: string[] = [], env = loopbackEnv): Running {
  const child = spawn(process.execPath, [join(dist, script), ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on("line", (l) => lines.push(l));
  createInterface({ input: child.stderr! }).on("line", (l) => lines.push(l));
  const waitFor = (pattern: RegExp, ms = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + ms;
      const check = () => {
        const hit = lines.find((l) => pattern.test(l));
        if (hit) return resolve(hit);
        if (child.exitCode !== null || Date.now() > deadline) {
          const why = child.exitCode !== null ? `${script} exited with ${child.exitCode}` : "timed out";
          return reject(new Error(`${why} waiting for ${pattern}; saw:\n${lines.join("\n")}`));
        }
        setTimeout(check, 20);
      };
      check();
    });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    return child.exitCode;
  };
  return { process: child, lines, waitFor, stop };
}

/** Runs the example client to its end: its exit code, its JSON result (or undefined) and its output. */
export async function runClient(args: string[] = [], env = loopbackEnv) {
  const client = start("client.js", ["--json", ...args], env);
  const [code] = (await once(client.process, "exit")) as [number | null];
  const last = client.lines.filter((l) => l.startsWith("{")).pop();
  return { code, result: last ? JSON.parse(last) : undefined, output: client.lines.join("\n") };
}
