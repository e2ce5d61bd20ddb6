// A child process of the run: spawned with piped stdio, its stdout JSON lines parsed, waits on what
// it printed that fail fast (with its output) when it exits first. Every child is remembered so the
// run can kill what is left when it ends or is interrupted (see reaper.ts).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { track } from "./reaper.js";

export type Line = Record<string, any>;

export class Child {
  readonly lines: Line[] = [];
  stderr = "";
  readonly exited: Promise<number | null>;
  #ended: string | undefined;
  #waiters: { test: () => boolean; done: (why?: string) => void }[] = [];

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((r) => proc.on("exit", (code) => r(code)));
    proc.on("close", (code, signal) => {
      this.#ended = `exited (${code ?? signal})`;
      for (const w of this.#waiters.splice(0)) w.done(this.#ended);
    });
    createInterface({ input: proc.stdout! }).on("line", (l) => {
      try {
        this.lines.push(JSON.parse(l));
      } catch {
        this.stderr += `${l}\n`;
      }
      this.#wake();
    });
    // the tail is enough to say why a child failed; a chatty one must not grow the runner's memory
    proc.stderr!.on("data", (d) => {
      this.stderr = (this.stderr + d).slice(-20_000);
    });
  }

  /** `node <script> [args]` with `env` over the runner's environment. */
  static node(name: string, script: string, args: string[], env: Record<string, string> = {}): Child {
    const proc = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const child = new Child(name, proc);
    track(child);
    return child;
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  #wake(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.test()) return true;
      w.done();
      return false;
    });
  }

  /** The first line (printed already or to come) `pred` holds for; rejects on exit or after `ms`. */
  waitFor(pred: (l: Line) => boolean, ms: number, what = "a line"): Promise<Line> {
    let seen = 0;
    let hit: Line | undefined;
    const test = () => {
      for (; seen < this.lines.length; seen++)
        if (pred(this.lines[seen]!)) {
          hit = this.lines[seen];
          return true;
        }
      return false;
    };
    if (test()) return Promise.resolve(hit!);
    return new Promise((resolve, reject) => {
      const fail = (why: string) =>
        reject(new Error(`${this.name}: ${why} waiting for ${what}\nstderr:\n${this.stderr.slice(-3000)}`));
      if (this.#ended) return fail(this.#ended);
      const waiter = {
        test,
        done: (why?: string) => {
          clearTimeout(timer);
          if (why) fail(why);
          else resolve(hit!);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        fail(`timed out after ${ms} ms`);
      }, ms);
      this.#waiters.push(waiter);
    });
  }

  /** The next line whose `event` is `event`, after those already printed. */
  next(event: string, ms: number): Promise<Line> {
    const from = this.lines.length;
    let i = 0;
    return this.waitFor((l) => i++ >= from && l.event === event, ms, `"${event}"`);
  }

  send(line: string): void {
    if (this.running) this.proc.stdin!.write(`${line}\n`);
  }

  /** Sends `signal`, waits for the exit, SIGKILL after `graceMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill(signal);
    const t = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(t);
  }

  kill(): void {
    if (this.running) this.proc.kill("SIGKILL");
  }
}
