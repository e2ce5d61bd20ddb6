// The go-micro v5 peer of interop/ (a real Go service built by interop/build.sh). Locally a missing
// binary skips the Go tests with the reason; under CI=true it is built here, and a failed build fails.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const INTEROP = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "interop");
export const GO_PEER = join(INTEROP, "bin", "peer");

/** undefined when the peer is there (built now if CI asks for it), else why the Go tests skip. */
export function goPeerMissing(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (existsSync(GO_PEER)) return undefined;
  if (env.CI !== "true") return `${GO_PEER} is missing: run interop/build.sh (CI builds it)`;
  // turbo may run this package's tests before interop's, whose test script builds the peer
  execFileSync("bash", [join(INTEROP, "build.sh")], { stdio: "inherit", timeout: 15 * 60_000 });
  if (!existsSync(GO_PEER)) throw new Error(`interop/build.sh ran but ${GO_PEER} is still missing`);
  return undefined;
}

export interface GoServer {
  proc: ChildProcess;
  /** The peer's ready line: id, address, name, version. */
  ready: Record<string, string>;
  stop(): Promise<void>;
}

export async function startGoServer(args: string[]): Promise<GoServer> {
  const proc = spawn(GO_PEER, ["server", ...args], {
    env: { ...process.env, MICRO_SERVER_ADDRESS: "127.0.0.1:0", MICRO_BROKER_ADDRESS: "127.0.0.1:0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((r) => proc.on("exit", () => r()));
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Go peer not ready in 20s:\n${stderr}`)), 20_000);
    void exited.then(() => reject(new Error(`Go peer exited:\n${stderr}`)));
    createInterface({ input: proc.stdout! }).on("line", (l) => {
      try {
        const j = JSON.parse(l);
        if (j.ready) {
          clearTimeout(timer);
          resolve(j);
        }
      } catch {}
    });
  });
  return {
    proc,
    ready,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const hard = setTimeout(() => proc.kill("SIGKILL"), 8_000);
      await exited;
      clearTimeout(hard);
    },
  };
}
