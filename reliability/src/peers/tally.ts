// What the load counts: every call's duration, the failures by cause with the first and last
// failure time, the answers per node, and per second of the run the calls that ended well or not.
export interface LoadSummary {
  startedAt: number;
  endedAt: number;
  calls: number;
  ok: number;
  failed: number;
  errors: Record<string, number>;
  firstFailureAt: number | null;
  lastFailureAt: number | null;
  /** Failure end times (epoch ms), the first 2000. */
  failureTimes: number[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The same over the failed calls alone (those that waited for a deadline, a dead node...). */
  failedP99Ms: number;
  failedMaxMs: number;
  perNode: Record<string, number>;
  /** Per second since startedAt: [ok, failed]. */
  perSecond: [number, number][];
}

export class Tally {
  readonly startedAt = Date.now();
  #durations: number[] = [];
  #failedDurations: number[] = [];
  #ok = 0;
  #failed = 0;
  #errors: Record<string, number> = {};
  #first: number | null = null;
  #last: number | null = null;
  #failureTimes: number[] = [];
  #perNode: Record<string, number> = {};
  #perSecond: [number, number][] = [];

  #second(now: number): [number, number] {
    const s = Math.floor((now - this.startedAt) / 1000);
    while (this.#perSecond.length <= s) this.#perSecond.push([0, 0]);
    return this.#perSecond[s]!;
  }

  ok(ms: number, node: string): void {
    this.#ok++;
    this.#durations.push(ms);
    this.#perNode[node] = (this.#perNode[node] ?? 0) + 1;
    this.#second(Date.now())[0]++;
  }

  failed(ms: number, key: string): void {
    const now = Date.now();
    this.#failed++;
    this.#durations.push(ms);
    this.#failedDurations.push(ms);
    this.#errors[key] = (this.#errors[key] ?? 0) + 1;
    this.#first ??= now;
    this.#last = now;
    if (this.#failureTimes.length < 2000) this.#failureTimes.push(now);
    this.#second(now)[1]++;
  }

  summary(): LoadSummary {
    const round = (x: number) => Math.round(x * 10) / 10;
    const d = Float64Array.from(this.#durations).sort();
    const f = Float64Array.from(this.#failedDurations).sort();
    const at = (q: number, a = d) => (a.length ? a[Math.min(a.length - 1, Math.floor(q * a.length))]! : 0);
    return {
      startedAt: this.startedAt,
      endedAt: Date.now(),
      calls: this.#ok + this.#failed,
      ok: this.#ok,
      failed: this.#failed,
      errors: this.#errors,
      firstFailureAt: this.#first,
      lastFailureAt: this.#last,
      failureTimes: this.#failureTimes,
      p50Ms: round(at(0.5)),
      p99Ms: round(at(0.99)),
      maxMs: round(at(1)),
      failedP99Ms: round(at(0.99, f)),
      failedMaxMs: round(at(1, f)),
      perNode: this.#perNode,
      perSecond: this.#perSecond,
    };
  }
}
