// Runs Go and TypeScript peers inside a network namespace of the test's own (Go's mdns cannot be
// pinned to loopback; inside the namespace loopback is the only interface, with multicast on it).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type JsonLine, JsonLinesProcess, loopbackEnv } from "@micro/testing/helpers";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const GO_PEER = join(root, "bin", "peer");
const GO_MICRO = join(root, "bin", "micro");
const GO_CAPTURE = join(root, "bin", "capture");
const TS_PEER = join(root, "dist", "peer.js");

export type Json = JsonLine;
/** go: our Go peer; micro: go-micro's CLI; capture: our Go capture tool; ts: the TypeScript peer. */
export type Kind = "go" | "ts" | "micro" | "capture";

export class Netns {
  private constructor(readonly name: string) {}

  /** Creates the namespace, or returns the reason it cannot be made here. */
  static create(): Netns | string {
    if (!existsSync(GO_PEER)) return `${GO_PEER} is missing: run interop/build.sh`;
    const name = `microts-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
    try {
      execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
      execFileSync("ip", ["-n", name, "link", "set", "lo", "up"], { stdio: "pipe" });
      execFileSync("ip", ["-n", name, "link", "set", "lo", "multicast", "on"], { stdio: "pipe" });
      execFileSync("ip", ["-n", name, "route", "add", "224.0.0.0/4", "dev", "lo", "src", "127.0.0.1"], {
        stdio: "pipe",
      });
    } catch (err) {
      try {
        execFileSync("ip", ["netns", "delete", name], { stdio: "pipe" });
      } catch {}
      return `cannot create a network namespace (needs root and iproute2): ${(err as Error).message.split("\n")[0]}`;
    }
    return new Netns(name);
  }

  delete(): void {
    try {
      execFileSync("ip", ["netns", "delete", this.name], { stdio: "pipe" });
    } catch {}
  }

  spawn(kind: Kind, args: string[], env: Record<string, string> = {}): Peer {
    return spawnPeer(["ip", "netns", "exec", this.name], kind, args, env);
  }

  run(kind: Kind, args: string[], env?: Record<string, string>, timeoutMs?: number) {
    return runPeer(this, kind, args, env, timeoutMs);
  }
}

/** Peers in the machine's own network namespace, for registries that are servers (etcd...). */
export const host = {
  spawn: (kind: Kind, args: string[], env: Record<string, string> = {}) => spawnPeer([], kind, args, env),
  run(kind: Kind, args: string[], env?: Record<string, string>, timeoutMs?: number) {
    return runPeer(this, kind, args, env, timeoutMs);
  },
};

export function goPeerBuilt(): string | undefined {
  return existsSync(GO_PEER) ? undefined : `${GO_PEER} is missing: run interop/build.sh`;
}

function spawnPeer(prefix: string[], kind: Kind, args: string[], env: Record<string, string>): Peer {
  const cmd =
    kind === "go"
      ? [GO_PEER]
      : kind === "micro"
        ? [GO_MICRO]
        : kind === "capture"
          ? [GO_CAPTURE]
          : [process.execPath, TS_PEER];
  const argv = [...prefix, ...cmd, ...args];
  const proc = spawn(argv[0]!, argv.slice(1), { env: loopbackEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  return new Peer(proc, kind);
}

/** Runs a peer to completion: its JSON lines, raw stdout and exit code. */
async function runPeer(
  where: { spawn: (kind: Kind, args: string[], env?: Record<string, string>) => Peer },
  kind: Kind,
  args: string[],
  env?: Record<string, string>,
  timeoutMs = 25_000,
) {
  const p = where.spawn(kind, args, env);
  const timer = setTimeout(() => p.kill(), timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, lines: p.lines, stdout: p.stdout, stderr: p.stderr };
}

/** A peer's process: its JSON lines, raw output and exit (see JsonLinesProcess), and readiness. */
export class Peer extends JsonLinesProcess {
  constructor(proc: ChildProcess, kind: Kind) {
    super(proc, { name: `${kind} peer`, timeoutMs: 15_000, graceMs: 8000 });
  }

  ready(): Promise<Json> {
    return this.waitFor((j) => j.ready === true, 20_000);
  }
}

/** Under CI a namespace that cannot be made fails the run; locally the matrix is skipped, visibly. */
export function netnsOrSkip(): { ns?: Netns; reason?: string } {
  const r = Netns.create();
  if (typeof r === "string") {
    if (process.env.CI === "true") throw new Error(`interop matrix cannot run: ${r}`);
    console.warn(`[interop] skipping the Go matrix: ${r}`);
    return { reason: r };
  }
  return { ns: r };
}
