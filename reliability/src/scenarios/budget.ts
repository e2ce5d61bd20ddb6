// How long each phase lasts: --long is the recorded run (the 20 s registry outage), --quick
// the same scenarios in seconds, to check the harness.
export interface Budget {
  mode: "quick" | "long";
  /** Callers of the closed-loop load. */
  concurrency: number;
  /** Load before the fault, and after it (kill, SIGTERM), ms. */
  beforeMs: number;
  afterMs: number;
  /** How long the registry stays down, and how long we wait for every node to be visible again. */
  registryDownMs: number;
  reregisterWaitMs: number;
  /** Load after the registry is back and re-registration was seen (or given up on). */
  registryAfterMs: number;
  /** Publishing before the broker restart and after it; messages per second. */
  brokerBeforeMs: number;
  brokerAfterMs: number;
  publishRate: number;
  /** Most time the subscriber gets to catch up after the last publish. */
  drainMs: number;
  /** The slow-node run. */
  slowMs: number;
}

export const BUDGETS: Record<Budget["mode"], Budget> = {
  quick: {
    mode: "quick",
    concurrency: 16,
    beforeMs: 1500,
    afterMs: 2500,
    registryDownMs: 3000,
    reregisterWaitMs: 5000,
    registryAfterMs: 1000,
    brokerBeforeMs: 1500,
    brokerAfterMs: 3000,
    publishRate: 200,
    drainMs: 15_000,
    slowMs: 4000,
  },
  long: {
    mode: "long",
    concurrency: 16,
    beforeMs: 8000,
    afterMs: 12_000,
    registryDownMs: 20_000,
    reregisterWaitMs: 45_000,
    registryAfterMs: 5000,
    brokerBeforeMs: 5000,
    brokerAfterMs: 15_000,
    publishRate: 200,
    drainMs: 60_000,
    slowMs: 20_000,
  },
};
