// Shared coarse deadlines for in-flight calls. A setTimeout/clearTimeout pair per attempt was a
// visible share of a small call's CPU; here arming is a Set insert into a 10 ms slot, cancelling a
// Set delete, and one ticking timer serves every call. A deadline fires at or up to one tick after
// its time, never before it.

const TICK_MS = 10;

export interface Deadline {
  /** Drops the deadline; its callback will not run. Safe to call more than once. */
  cancel(): void;
}

class Entry implements Deadline {
  constructor(
    readonly wheel: DeadlineWheel,
    public fire: (() => void) | undefined,
    public slot: Set<Entry> | undefined,
  ) {}

  cancel(): void {
    const slot = this.slot;
    if (!slot) return;
    this.slot = undefined;
    this.fire = undefined;
    slot.delete(this);
    this.wheel.dropped();
  }
}

export class DeadlineWheel {
  /** Entries by the tick index at or after which they expire. */
  readonly #slots = new Map<number, Set<Entry>>();
  #count = 0;
  /** The last tick index whose slot was run. */
  #done = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly tick = TICK_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `fire` once `ms` have passed, unless cancelled first. */
  after(ms: number, fire: () => void): Deadline {
    if (this.#timer === undefined) this.#start();
    // never into a slot already run (it would be missed), so at worst one tick late
    const due = Math.max(Math.ceil((this.now() + Math.max(ms, 0)) / this.tick), this.#done + 1);
    let slot = this.#slots.get(due);
    if (!slot) {
      slot = new Set();
      this.#slots.set(due, slot);
    }
    const entry = new Entry(this, fire, slot);
    slot.add(entry);
    this.#count++;
    return entry;
  }

  /** Deadlines armed and not yet fired or cancelled. */
  get size(): number {
    return this.#count;
  }

  /** An entry left its slot (cancelled or fired). */
  dropped(): void {
    this.#count--;
  }

  #start(): void {
    this.#done = Math.floor(this.now() / this.tick);
    this.#timer = setInterval(() => this.#run(), this.tick);
  }

  #run(): void {
    const current = Math.floor(this.now() / this.tick);
    const due: Entry[] = [];
    for (let i = this.#done + 1; i <= current; i++) {
      const slot = this.#slots.get(i);
      if (!slot) continue;
      this.#slots.delete(i);
      for (const e of slot) due.push(e);
    }
    this.#done = current;
    for (const e of due) {
      const fire = e.fire;
      if (!fire) continue;
      e.cancel();
      fire();
    }
    // idle: stop ticking until the next deadline is armed (checked here, not on every cancel,
    // so a steady stream of short calls does not start and stop the timer each time)
    if (this.#count === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#slots.clear();
    }
  }
}

/** The wheel the RPC client's attempts share. */
export const deadlines = new DeadlineWheel();
