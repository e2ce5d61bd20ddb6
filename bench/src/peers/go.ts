// The Go go-micro peer for run.ts: both server and client are interop/bin/bench (our own Go program
// in interop/cmd/bench on go-micro's http transport), so `go` measures go-micro Go<->Go.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const interop = join(dirname(fileURLToPath(import.meta.url)), "../../../interop");
export const goBenchBinary = join(interop, "bin/bench");

/** The skip reason when the Go binary has not been built, else undefined. */
export function goSkipReason(): string | undefined {
  if (existsSync(goBenchBinary)) return undefined;
  return `go: ${goBenchBinary} not built; run (cd interop && GOFLAGS=-mod=mod go build -o bin/bench ./cmd/bench)`;
}

/** The Go version the binary was built with (from its build info), or "-". */
export function goVersion(): string {
  try {
    return execFileSync(goBenchBinary, ["version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "-";
  }
}
