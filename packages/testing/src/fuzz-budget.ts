// How hard the fuzz properties push, from the environment: a short budget by default so CI stays
// fast, a long one on request (MICRO_FUZZ_RUNS=200000), a fixed seed to replay a failure, and a file
// collecting each property's figures for RELIABILITY.md.
import { appendFileSync } from "node:fs";

/** Inputs per property when MICRO_FUZZ_RUNS is unset: a few seconds for the whole repository. */
export const SHORT_RUNS = 500;

/** The most one input may take, in ms (issue 18: "no input over 100 ms"). */
export const SLOW_MS = 100;

function positive(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

/** Inputs per property: MICRO_FUZZ_RUNS, else `short` (SHORT_RUNS). */
export function fuzzRuns(short = SHORT_RUNS): number {
  return positive("MICRO_FUZZ_RUNS") ?? short;
}

/** MICRO_FUZZ_SEED, the seed fast-check printed for a failure, to replay it. */
export function fuzzSeed(): number | undefined {
  const raw = process.env.MICRO_FUZZ_SEED;
  return raw === undefined || raw === "" ? undefined : Number(raw);
}

/** A test's time limit for `runs` inputs: generous, since CI machines are shared. */
export function fuzzTimeout(runs: number): number {
  return 30_000 + runs * 20;
}

/** What one property did, appended as a JSON line to MICRO_FUZZ_REPORT when it is set. */
export interface FuzzFigures {
  target: string;
  property: string;
  /** Inputs fast-check generated (shrinking included, after a failure). */
  inputs: number;
  /** Target calls timed (a property may time several per input). */
  runs: number;
  seconds: number;
  /** The slowest time one input took, as seen (GC pauses and busy neighbours included). */
  slowestMs: number;
  /** That input timed again, best of 5: what it costs itself. */
  slowestAgainMs: number;
  /** The slowest input, shortened. */
  slowest: string;
  /** Throws that were neither a value nor an accepted error (0 unless the property failed). */
  rejected: number;
  /** Accepted errors whose message is V8's for a bug ("Cannot read properties of null"...), and one. */
  engineMessages?: number;
  engineExample?: string;
  failure?: string;
}

export function reportFigures(figures: FuzzFigures): void {
  const file = process.env.MICRO_FUZZ_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(figures)}\n`);
}
