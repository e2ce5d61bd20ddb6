// What the browser tests need besides Node: Debian's chromium (scripts/browser.sh installs it) and
// interop's Go peer (interop/build.sh builds it). Locally a missing one skips its tests with the
// reason printed; under CI, where they must run, it fails them (the Go peer is built first).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inCI, skipOrFailFor } from "@micro/testing/helpers";

export const repoRoot = fileURLToPath(new URL("../../../../../", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const GO_PEER = join(repoRoot, "interop/bin/peer");

/** Locally: warn and return the reason (the caller skips); under CI: throw it. */
export const skipOrFail = skipOrFailFor("dashboard browser");

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
