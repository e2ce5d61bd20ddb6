// Real processes for the stdio and interop tests: our CLI's `micro mcp serve` (spawned by the SDK's
// stdio client) and interop's Go peer (`peer server`, go-micro v5.30), found over mdns on loopback,
// go-micro's default registry. Every process started here is stopped by stopAll() (and SIGKILLed by
// an exit hook should the worker die first), so a failing test leaves no node in the registry.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, inCI, JsonLinesProcess, loopbackEnv, skipOrFailFor } from "@micro/testing/helpers";

export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const bin = {
  goPeer: join(repoRoot, "interop/bin/peer"),
  cli: join(repoRoot, "packages/cli/dist/bin.js"),
};

/** Why the tests cannot run here, or undefined; under CI the Go peer is built, and a reason throws. */
export function prerequisites(need: (keyof typeof bin)[]): string | undefined {
  const hint: Record<keyof typeof bin, string> = {
    goPeer: "run bash interop/build.sh",
    cli: "run pnpm -F @micro/mcp -F @micro/cli build",
  };
  if (inCI && need.includes("goPeer") && !existsSync(bin.goPeer)) {
    // turbo may run these tests before interop's, whose test script builds the binaries
    execFileSync("bash", [join(repoRoot, "interop", "build.sh")], { stdio: "inherit", timeout: 15 * 60_000 });
  }
  const missing = need.filter((k) => !existsSync(bin[k]));
  if (!missing.length) return undefined;
  return skipOrFail(missing.map((k) => `${bin[k]} is missing (${hint[k]})`).join("; "));
}

/** Locally: warn and return the reason (the caller skips); under CI: throw it. */
export const skipOrFail = skipOrFailFor("mcp interop");

export { uniqueName as unique } from "@micro/testing/helpers";

const running = new Set<JsonLinesProcess>();
process.once("exit", () => {
  for (const p of running) p.proc.kill("SIGKILL");
});

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** The environment of every process here: mdns on 127.0.0.1, listeners on loopback. */
export function peerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(loopbackEnv())) if (v !== undefined) env[k] = v;
  return env;
}

/** interop's Go peer (`peer server --name <name>`), ready once registered. */
export async function startGoPeer(name: string, extra: string[] = []): Promise<JsonLinesProcess> {
  const proc = spawn(bin.goPeer, ["server", "--name", name, ...extra], {
    env: peerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p = new JsonLinesProcess(proc, { name: `go peer ${name}`, timeoutMs: 20_000, graceMs: 3000 });
  running.add(p);
  void p.exited.then(() => running.delete(p));
  await p.waitFor((l) => l.ready === true);
  return p;
}

/** Our CLI's `micro mcp serve --address`, resolved with its /mcp URL once it says it listens. */
export async function startMcpHttp(args: string[] = []): Promise<{ proc: JsonLinesProcess; url: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [bin.cli, "mcp", "serve", "--address", `127.0.0.1:${port}`, ...args], {
    env: peerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p = new JsonLinesProcess(proc, {
    name: "micro mcp serve --address",
    timeoutMs: 20_000,
    graceMs: 3000,
  });
  running.add(p);
  void p.exited.then(() => running.delete(p));
  await p.until(() => p.stderr.includes("mcp listening on http://"), "the listening line");
  return { proc: p, url: `http://127.0.0.1:${port}/mcp` };
}
