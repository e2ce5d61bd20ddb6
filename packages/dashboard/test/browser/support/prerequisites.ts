// What the browser tests need besides Node: Debian's chromium (scripts/browser.sh installs it) and
// interop's Go peer (interop/build.sh builds it). Locally a missing one skips its tests with the
// reason printed; under CI, where they must run, it fails them (the Go peer is built first).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../../../", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const GO_PEER = join(repoRoot, "interop/bin/peer");

/** CI must run these tests: there a missing prerequisite fails instead of skipping. */
export const inCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

/** Locally: warn and return the reason (the caller skips); under CI: throw it. */
export function skipOrFail(reason: string): string {
  if (inCI) throw new Error(`dashboard browser tests cannot run: ${reason}`);
  console.warn(`[dashboard browser tests] skipping: ${reason}`);
  return reason;
}

/** Why Chromium cannot be driven here, or undefined. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  return skipOrFail(`${CHROMIUM} is missing (run bash scripts/browser.sh)`);
}

/**
 * Why the Go peer cannot run here, or undefined. Under CI a missing binary is built first: turbo
 * may run this package's tests before interop's, whose test script builds it.
 */
export function goPeerMissing(): string | undefined {
  if (inCI && !existsSync(GO_PEER)) {
    execFileSync("bash", [join(repoRoot, "interop", "build.sh")], { stdio: "inherit", timeout: 15 * 60_000 });
  }
  if (existsSync(GO_PEER)) return undefined;
  return skipOrFail(`${GO_PEER} is missing (run bash interop/build.sh)`);
}
