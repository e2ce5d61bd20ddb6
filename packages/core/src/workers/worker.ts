// The worker's side of a service served by worker processes: it tells its primary where it listens,
// stops when the primary says so (draining like any stopping service), and leaves signals to the
// primary, which deregisters the node before it stops the workers.
//
// A worker does not outlive its primary: node:cluster ends a worker at once when its channel to the
// primary closes without the worker asking (the primary exited or was killed), so no orphan keeps
// serving a node nobody registers any more.
import cluster from "node:cluster";
import type { Logger } from "../logger.js";
import { isStop, listeningMessage } from "./messages.js";

/** Tells the primary this worker serves, at `address`. */
export function reportListening(address: string): void {
  process.send?.(listeningMessage(address));
}

/** Calls `stop` when the primary says to stop. */
export function onStopRequest(stop: () => void): void {
  process.on("message", (m: unknown) => {
    if (isStop(m)) stop();
  });
}

/**
 * A terminal's Ctrl-C reaches every process of the group and a supervisor may SIGTERM them all at
 * once; a worker stopping by itself would drop calls while the node is still registered. The
 * primary stops the workers after deregistering, so a worker ignores these signals.
 */
export function leaveSignalsToPrimary(logger: Logger): void {
  const ignore = (sig: NodeJS.Signals) =>
    logger.debug(`received ${sig}: a worker stops when its primary (pid ${process.ppid}) says so`);
  process.on("SIGINT", ignore);
  process.on("SIGTERM", ignore);
}

/**
 * After a worker stopped: leaves the cluster (its channel no longer holds the process) and, like
 * run() after a stop, exits within 2 s even if a plugin keeps a handle open.
 */
export function leaveAfterStop(): void {
  if (cluster.worker?.isConnected()) cluster.worker.disconnect();
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
}
