// Child processes in tests: peers and programs that print JSON lines (interop's Go and TypeScript
// peers, a Python program behind the sidecar, our CLI), the loopback environment they run in, a
// free port to hand one, unique service names, and skipping (locally) or failing (under CI) when a
// program a test needs is missing. Waits fail fast when the process dies first, with its output in
// the error, so a crashed peer reads as a crash and not as a timeout.
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";

/** One parsed stdout line. */
export type JsonLine = Record<string, any>;

export interface JsonLinesProcessOptions {
  /** Names the process in failure messages ("process"). */
  name?: string;
  /** How long waitFor and until wait when not told, in ms (15 000). */
  timeoutMs?: number;
  /** How long stop() waits after its signal before SIGKILL, when not told, in ms (5000). */
  graceMs?: number;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
  fail: (why: string) => void;
}

/**
 * A child process spawned with stdout and stderr piped: its stdout lines (the JSON ones parsed, in
 * `lines`), raw `stdout` and `stderr`, its exit, and waits on what it printed.
 */
export class JsonLinesProcess {
  /** The stdout lines that parsed as JSON, in order. */
  readonly lines: JsonLine[] = [];
  /** All of stdout, line by line. */
  stdout = "";
  stderr = "";
  /** Its exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  readonly name: string;
  readonly timeoutMs: number;
  readonly graceMs: number;
  /** How it ended, once it exited and its output is all read. */
  #ended: string | undefined;
  #waiters: Waiter[] = [];

  constructor(
    readonly proc: ChildProcess,
    options: JsonLinesProcessOptions = {},
  ) {
    this.name = options.name ?? "process";
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.graceMs = options.graceMs ?? 5000;
    this.exited = new Promise((r) => proc.on("exit", (code) => r(code)));
    // waits fail on "close", not "exit": a process can exit before its last lines are read
    proc.on("close", (code, signal) => {
      this.#ended = `exited (${code ?? signal})`;
      for (const w of this.#waiters.splice(0)) w.fail(this.#ended);
    });
    createInterface({ input: proc.stdout! }).on("line", (l) => {
      this.stdout += `${l}\n`;
      try {
        this.lines.push(JSON.parse(l));
      } catch {}
      this.#wake();
    });
    proc.stderr!.on("data", (d) => {
      this.stderr += d;
      this.#wake();
    });
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /**
   * Resolves once `test()` holds (checked now and on every output); rejects, with the output, when
   * the process ends first or after `ms`.
   */
  until(test: () => boolean, what: string, ms = this.timeoutMs): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        fail: (why) => {
          clearTimeout(timer);
          reject(
            new Error(
              `${this.name}: ${why} waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr.slice(-3000)}`,
            ),
          );
        },
      };
      if (this.#ended) return waiter.fail(this.#ended);
      timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        waiter.fail(`timed out after ${ms} ms`);
      }, ms);
      this.#waiters.push(waiter);
    });
  }

  /** The first JSON line `pred` holds for, printed already or to come; fails like until(). */
  waitFor(pred: (line: JsonLine) => boolean, ms = this.timeoutMs): Promise<JsonLine> {
    let seen = 0;
    let hit: JsonLine | undefined;
    const found = () => {
      for (; seen < this.lines.length; seen++)
        if (pred(this.lines[seen]!)) {
          hit = this.lines[seen];
          return true;
        }
      return false;
    };
    return this.until(found, `a line where ${String(pred)}`, ms).then(() => hit!);
  }

  /** Writes one line to its stdin (spawned with stdin piped). */
  send(line: string): void {
    this.proc.stdin!.write(`${line}\n`);
  }

  /** Sends `signal` and waits for the exit, SIGKILLing it after `graceMs`; done at once if it ended. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = this.graceMs): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill(signal);
    const t = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(t);
  }

  /** SIGKILL, without waiting. */
  kill(): void {
    this.proc.kill("SIGKILL");
  }
}

/**
 * process.env for a Micro peer kept on loopback: mdns on 127.0.0.1, server and broker on ephemeral
 * 127.0.0.1 ports, warnings only; `extra` over it.
 */
export function loopbackEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MICRO_MDNS_INTERFACE: "127.0.0.1",
    MICRO_SERVER_ADDRESS: "127.0.0.1:0",
    MICRO_BROKER_ADDRESS: "127.0.0.1:0",
    MICRO_LOG_LEVEL: "warn",
    ...extra,
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picked it), for a process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** CI must run the tests that need outside programs: there a missing prerequisite fails instead of skipping. */
export const inCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

/**
 * The skip-or-fail of `suite` ("gateway interop"): locally it warns and returns the reason (the
 * caller skips); under CI it throws it.
 */
export function skipOrFailFor(suite: string): (reason: string) => string {
  return (reason) => {
    if (inCI) throw new Error(`${suite} tests cannot run: ${reason}`);
    console.warn(`[${suite}] skipping: ${reason}`);
    return reason;
  };
}

/** A name no other test run shares (`prefix-<pid>-<5 random characters>`), for a service in a shared registry. */
export const uniqueName = (prefix: string) =>
  `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
