// Runs the real `micro` binary (dist/bin.js) as a subprocess, the way a user or a script does.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no MICRO_* from the developer's shell leaks into a test. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("MICRO_")) env[k] = v;
  return { ...env, MICRO_LOG_LEVEL: "error", ...extra };
}

export class Micro {
  readonly proc: ChildProcess;
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv, stdin?: string) {
    this.proc = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    this.proc.stdout!.on("data", (d) => (this.stdout += d));
    this.proc.stderr!.on("data", (d) => (this.stderr += d));
    if (stdin !== undefined) this.proc.stdin!.end(stdin);
    this.exited = new Promise((r) => this.proc.on("exit", (code) => r(code)));
  }

  /** Resolves once `pattern` shows up on stdout or stderr; rejects if the process exits first. */
  waitFor(pattern: RegExp, ms = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => pattern.test(this.stdout) || pattern.test(this.stderr);
      if (check()) return resolve();
      const done = (err?: Error) => {
        clearInterval(poll);
        clearTimeout(timer);
        err ? reject(err) : resolve();
      };
      const poll = setInterval(() => check() && done(), 20);
      const timer = setTimeout(
        () =>
          done(new Error(`timed out waiting for ${pattern}\nstdout: ${this.stdout}\nstderr: ${this.stderr}`)),
        ms,
      );
      void this.exited.then((code) => {
        if (!check()) done(new Error(`micro exited (${code}) before ${pattern}\nstderr: ${this.stderr}`));
      });
    });
  }

  /** Sends a signal and returns the exit code; kills hard if it does not stop in time. */
  async stop(signal: NodeJS.Signals = "SIGINT", ms = 8_000): Promise<number | null> {
    if (this.proc.exitCode === null) this.proc.kill(signal);
    const hard = setTimeout(() => this.proc.kill("SIGKILL"), ms);
    const code = await this.exited;
    clearTimeout(hard);
    return code;
  }
}

export async function micro(
  args: string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  options: { stdin?: string; timeoutMs?: number } = {},
): Promise<Result> {
  const m = new Micro(args, env, options.stdin);
  const timer = setTimeout(() => m.proc.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  const code = await m.exited;
  clearTimeout(timer);
  return { code, stdout: m.stdout, stderr: m.stderr };
}

/** A one-line error: `error: ...`, and no stack frames. */
export function expectOneLineError(r: Result): string {
  const lines = r.stderr.trimEnd().split("\n");
  if (lines.length !== 1 || !lines[0]!.startsWith("error: ") || /\n\s+at /.test(r.stderr))
    throw new Error(`expected a one-line error, got:\n${r.stderr}`);
  return lines[0]!;
}
