// The transport-wide cap on request body bytes held in memory: from the moment a request's header
// announces a body until its owner takes the message with recv(). Over the cap, a new body waits (its
// connection stops being read, so TCP pushes back on the sender) instead of failing: a burst of large
// requests is served at the pace memory allows, and no peer sees an error for it.
//
// A body is reserved whole before any of it is read: reserving as bytes arrive could fill the cap
// with halves of bodies that can never finish. A body larger than what is free is still admitted
// when nothing else is held, so one message up to maxMessageSize always gets through.

/** A reservation waiting for room; `grant` runs (on a later turn) once the bytes are taken for it. */
interface Waiter {
  bytes: number;
  grant: () => void;
}

export class BodyBudget {
  #used = 0;
  readonly #waiters: Waiter[] = [];
  #waking = false;

  constructor(readonly limit: number) {}

  /** Bytes reserved now. */
  get used(): number {
    return this.#used;
  }

  /** Reservations waiting for room. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Reserves `bytes` if they fit (first come, first served: nobody overtakes a waiter). Otherwise
   * queues `grant`, to be called once they are reserved for the caller, and returns false.
   */
  take(bytes: number, grant: () => void): boolean {
    if (this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#used += bytes;
      return true;
    }
    this.#waiters.push({ bytes, grant });
    return false;
  }

  /** Counts bytes that are in memory already (a frame that arrived whole): nothing to wait for. */
  force(bytes: number): void {
    this.#used += bytes;
  }

  release(bytes: number): void {
    if (bytes <= 0) return;
    this.#used -= bytes;
    this.#schedule();
  }

  /** Withdraws a waiting reservation (its connection went away). */
  cancel(grant: () => void): void {
    const i = this.#waiters.findIndex((w) => w.grant === grant);
    if (i < 0) return;
    this.#waiters.splice(i, 1);
    // the one behind it may fit where it did not
    if (i === 0) this.#schedule();
  }

  #fits(bytes: number): boolean {
    return this.#used === 0 || this.#used + bytes <= this.limit;
  }

  #schedule(): void {
    if (this.#waiters.length === 0 || this.#waking) return;
    // granted on a later turn: the releasing socket is in the middle of its own work
    this.#waking = true;
    setImmediate(() => this.#wake());
  }

  #wake(): void {
    this.#waking = false;
    while (this.#waiters.length > 0 && this.#fits(this.#waiters[0]!.bytes)) {
      const w = this.#waiters.shift()!;
      this.#used += w.bytes;
      w.grant();
    }
  }
}
