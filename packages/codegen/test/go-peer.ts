// interop's go-micro v5 peer (a real Go service and client built from interop/proto/greeter.proto
// with protoc-gen-go and protoc-gen-micro). Locally a missing binary skips the Go tests with the
// reason; under CI=true it is built, and a failed build fails.
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

export const INTEROP = new URL("../../../interop/", import.meta.url).pathname;
const PEER = join(INTEROP, "bin", "peer");
const run = promisify(execFile);

/** undefined when the peer is there (built now if CI asks for it), else why the Go tests skip. */
export function goPeerMissing(): string | undefined {
  if (existsSync(PEER)) return undefined;
  if (process.env.CI !== "true") return `${PEER} is missing: run interop/build.sh (CI builds it)`;
  execFileSync("bash", [join(INTEROP, "build.sh")], { stdio: "inherit", timeout: 15 * 60_000 });
  if (!existsSync(PEER)) throw new Error(`interop/build.sh ran but ${PEER} is still missing`);
  return undefined;
}

export interface GoServer {
  address: string;
  /** Every JSON line the peer printed (it prints each RPC it handled, with the decoded request). */
  lines: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startGoServer(name: string): Promise<GoServer> {
  const proc: ChildProcess = spawn(PEER, ["server", "--name", name, "--registry", "memory"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<void>((r) => proc.on("exit", () => r()));
  const lines: Record<string, unknown>[] = [];
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Go peer not ready in 20s:\n${stderr}`)), 20_000);
    void exited.then(() => reject(new Error(`Go peer exited:\n${stderr}`)));
    createInterface({ input: proc.stdout! }).on("line", (l) => {
      const j = JSON.parse(l) as Record<string, unknown>;
      lines.push(j);
      if (j.ready) {
        clearTimeout(timer);
        resolve(String(j.address));
      }
    });
  });
  return {
    address,
    lines,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

/** `peer call|stream ...` against a given address: its JSON output lines. */
export async function goClient(args: string[]): Promise<unknown[]> {
  const { stdout } = await run(PEER, [...args, "--registry", "memory"], { timeout: 20_000 });
  return stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}
