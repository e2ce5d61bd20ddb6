// Which process of a service this is. A service with `--server_workers` > 1 runs the same program in
// every process; the primary forks each worker with its number and the node's server id in the
// environment, so the program's own createService() finds out it is a worker (it serves calls only)
// while the primary's registers the node. A process without them (a cluster an application runs
// itself included) is a primary or a service on its own.
import cluster from "node:cluster";

/** The worker's number, 1..N; a replacement keeps the number of the worker it replaces. */
export const WORKER_INDEX_ENV = "MICRO_WORKER_INDEX";
/** The server id of the node the primary registers: the worker's log lines name the same node. */
export const WORKER_SERVER_ID_ENV = "MICRO_WORKER_SERVER_ID";

export interface WorkerRole {
  index: number;
  serverId: string;
}

export function workerRole(env: NodeJS.ProcessEnv = process.env): WorkerRole | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(env[WORKER_INDEX_ENV]);
  const serverId = env[WORKER_SERVER_ID_ENV];
  if (!Number.isInteger(index) || index < 1 || !serverId) return undefined;
  return { index, serverId };
}

/** The environment a primary adds for worker `index` (over its own: same program, same env). */
export function workerEnv(index: number, serverId: string): Record<string, string> {
  return { [WORKER_INDEX_ENV]: String(index), [WORKER_SERVER_ID_ENV]: serverId };
}
