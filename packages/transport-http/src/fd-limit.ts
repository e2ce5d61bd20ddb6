// The process's limit on open file descriptors, which caps the connections it can hold: past it,
// every accept (and every dial, file open, registry call) fails with EMFILE. Node cannot read
// getrlimit, so Linux's /proc is asked; elsewhere the limit is unknown.
import { readFileSync } from "node:fs";

/** The soft RLIMIT_NOFILE, or undefined when it cannot be read or is unlimited. */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync("/proc/self/limits", "latin1")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = Number(line?.slice("Max open files".length).trim().split(/\s+/)[0]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The default cap on a listener's connections: the descriptor limit less a tenth of it, and at least
 * 64 (Node itself holds some twenty), so that with the listener full the process keeps descriptors
 * for its own dials, registry and files. 0: no cap (the limit is unknown).
 */
export function defaultMaxConnections(limit: number | undefined): number {
  if (limit === undefined) return 0;
  return Math.max(1, limit - Math.max(64, Math.ceil(limit / 10)));
}
