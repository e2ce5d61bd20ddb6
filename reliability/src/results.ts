// The figures of one chaos run, as written to reliability/results/chaos.json and read by the
// generator: plain data, so a run and the rendering of RELIABILITY.md are separate steps.

/** What a figure promises and whether the run kept it. */
export interface Goal {
  /** The goal in words, e.g. "0 failed calls". */
  text: string;
  met: boolean;
}

/** Calls of a closed-loop load over one scenario's window. */
export interface LoadFigures {
  concurrency: number;
  calls: number;
  ok: number;
  failed: number;
  /** Failed calls by error (addresses and ids blanked so equal causes group together). */
  errors: Record<string, number>;
  /** ms from the fault (kill, stop) to the end of the last failed call; 0 when none failed. */
  recoveryMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 and max of the failed calls' durations alone. */
  failedP99Ms: number;
  failedMaxMs: number;
  /** Calls answered by each node, by its label (n0, n1, n2). */
  perNode: Record<string, number>;
}

export interface KillFigures {
  signal: "SIGKILL" | "SIGTERM";
  /** "idempotent: true" or "not marked". */
  variant: string;
  load: LoadFigures;
  goal: Goal;
}

export interface RegistryFigures {
  registry: "etcd" | "consul" | "nats";
  /** "same data" or "empty data dir". */
  restart: string;
  downMs: number;
  load: LoadFigures;
  /** ms from the registry answering again until a fresh lookup shows every node; null: not within the wait. */
  reregisteredMs: number | null;
  /** How long we waited for re-registration before giving up, ms. */
  waitedMs: number;
  goalCalls: Goal;
  goalRegistered: Goal;
  note?: string;
}

export interface BrokerFigures {
  broker: string;
  /** How the subscription and publication are made durable (or not). */
  setup: string;
  attempted: number;
  /** publish() resolved: the broker (or, for NATS core publishing, the client) took the message. */
  acked: number;
  /** publish() rejected: the publisher knows these were not taken. */
  rejected: number;
  rejectedBy: Record<string, number>;
  /** Distinct sequence numbers the subscriber received. */
  received: number;
  /** Acked messages the subscriber never received. */
  lost: number;
  /** Deliveries beyond the first of a sequence number. */
  duplicates: number;
  /** Messages received that publish() had rejected (the broker took them after all). */
  receivedRejected: number;
  /** ms the broker was unavailable: stop began .. ready again. */
  restartMs: number;
  /** The acked numbers never received, as [first, last] ranges (the first ten ranges). */
  lostRanges: [number, number][];
  /** About the number being published when the broker was stopped (rate × time), to place the losses. */
  stoppedAtSeq: number;
  /** ms from the broker being ready again until the subscriber received a new message. */
  resumedMs: number | null;
  goal: Goal;
  note?: string;
}

export interface SlowFigures {
  slowDelayMs: number;
  deadlineMs: number;
  load: LoadFigures;
  /** Highest count of calls in the slow node's handler at once, and over the run's second half. */
  maxInflightSlow: number;
  maxInflightSlowLate: number;
  /** The bound in-flight calls on the slow node must stay under. */
  inflightBound: number;
  /** Calls answered by the fast nodes, and how many of the calls that reached them failed. */
  fastServed: number;
  goalDeadline: Goal;
  goalPileUp: Goal;
  goalOthers: Goal;
}

/** Where and with what the run happened. */
export interface RunInfo {
  date: string;
  mode: "quick" | "long";
  durationMs: number;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  /** The commit measured ("abc1234 + uncommitted changes" when the tree had edits). */
  commit: string;
  loadAverage: number[];
  servers: Record<string, string>;
  /** How long each phase of the load lasted, ms (what --quick shortens). */
  timings: Record<string, number>;
}

export interface ChaosResults {
  run: RunInfo;
  kill: KillFigures[];
  registry: RegistryFigures[];
  broker: BrokerFigures[];
  slow: SlowFigures[];
  /** Scenarios that could not run, with the reason (a server that did not start, ...). */
  skipped: { scenario: string; reason: string }[];
}
