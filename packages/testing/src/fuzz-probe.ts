// Runs a fuzz target on one input and judges it: the target may return or throw an error it
// documents (a MicroError unless told otherwise); anything else, or an input handled slower than
// SLOW_MS, fails the property with the input shown. The probe keeps each property's figures.
import { isMicroError } from "@micro/core";
import { SLOW_MS } from "./fuzz-budget.js";

/** Which thrown values a target documents (the rest are bugs). */
export type Accepts = (err: unknown) => boolean;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

// V8's words for a program's own mistakes. Inside an accepted error they still mean an input made
// the code trip rather than be refused on purpose: counted, and shown, though not failed.
const ENGINE =
  /Cannot read properties of|Cannot set properties of|is not a function|is not iterable|is not a constructor|Cannot convert|Maximum call stack size exceeded|Invalid array length|is not defined|Cannot destructure/;

/** Whether a thrown value's message is one of V8's for a bug (a null dereference, a stack overflow...). */
export function isEngineError(err: unknown): boolean {
  return err instanceof Error && ENGINE.test(err.message);
}

const hexOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");

/** An input as text for a failure message or a report: bytes as hex, at most `max` characters. */
export function showInput(input: unknown, max = 600): string {
  let text: string;
  if (input instanceof Uint8Array) text = `${input.length} bytes: ${hexOf(input)}`;
  else {
    try {
      text = JSON.stringify(input, (_k, v: unknown) =>
        v instanceof Uint8Array ? `hex:${hexOf(v)}` : typeof v === "bigint" ? `${v}n` : v,
      );
    } catch {
      text = String(input);
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function describeThrown(err: unknown): string {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message}`;
  return `a non-Error value ${showInput(err, 100)}`;
}

export class Probe {
  runs = 0;
  slowestMs = 0;
  slowest: unknown;
  /** Throws that were not accepted (the property fails on the first). */
  rejected = 0;
  /** Accepted errors whose message is V8's for a bug, and the first such message. */
  engineMessages = 0;
  engineExample: string | undefined;

  #again: (() => unknown) | undefined;

  constructor(
    readonly target: string,
    readonly accepts: Accepts = isMicroError,
    readonly limitMs = SLOW_MS,
  ) {}

  /** `fn(input)`, timed; returns what it returned or the accepted error it threw. */
  run<I, T>(input: I, fn: (input: I) => T): Outcome<T> {
    const started = performance.now();
    const outcome = attempt(input, fn);
    let ms = performance.now() - started;
    // a GC pause or a busy neighbour can stretch one run; a slow input is slow every time
    for (let i = 0; i < 2 && ms > this.limitMs; i++) {
      const again = performance.now();
      attempt(input, fn);
      ms = Math.min(ms, performance.now() - again);
    }
    this.runs++;
    if (ms > this.slowestMs) {
      this.slowestMs = ms;
      this.slowest = input;
      this.#again = () => attempt(input, fn);
    }
    if (ms > this.limitMs) {
      throw new Error(
        `${this.target}: one input took ${ms.toFixed(1)} ms (limit ${this.limitMs} ms): ${showInput(input)}`,
      );
    }
    if (!outcome.ok) {
      if (!this.accepts(outcome.error)) {
        this.rejected++;
        throw new Error(`${this.target}: threw ${describeThrown(outcome.error)} for ${showInput(input)}`, {
          cause: outcome.error,
        });
      }
      if (isEngineError(outcome.error)) {
        this.engineMessages++;
        this.engineExample ??= `${describeThrown(outcome.error)} for ${showInput(input, 200)}`;
      }
    }
    return outcome;
  }

  /**
   * The slowest input timed again, best of `times`: on a shared machine the slowest time seen is
   * often a GC pause or a neighbour, this is what the input itself costs.
   */
  retimeSlowest(times = 5): number {
    const again = this.#again;
    if (!again) return 0;
    let best = Infinity;
    for (let i = 0; i < times; i++) {
      const started = performance.now();
      again();
      best = Math.min(best, performance.now() - started);
    }
    return best;
  }
}

function attempt<I, T>(input: I, fn: (input: I) => T): Outcome<T> {
  try {
    return { ok: true, value: fn(input) };
  } catch (error) {
    return { ok: false, error };
  }
}
