// PING/PONG round trips that tell an outbox which messages the server has. The server reads a
// connection in order and answers a PING after everything sent before it, so its PONG confirms
// every message handed to the client before the PING. One round trip at a time, started a short
// delay after messages were handed over, so a busy publisher costs about one PING per delay (not
// one per message) and the PING usually leaves with other writes. A round trip that straddles a
// reconnect confirms nothing: the client rejects the PONGs it was waiting for when it dials again,
// and cancel() makes a late answer void anyway.
import type { NatsConnection } from "@nats-io/nats-core";

export class Confirmer {
  #epoch = 0;
  #busy = false;
  #timer: NodeJS.Timeout | undefined;

  /**
   * `mark` names what a round trip starting now would confirm (undefined: nothing to do), and
   * `confirmed` hears that mark once the PONG is back.
   */
  constructor(
    private readonly nc: NatsConnection,
    private readonly delay: number,
    private readonly mark: () => number | undefined,
    private readonly confirmed: (mark: number) => void,
  ) {}

  /** A round trip is wanted: one starts after the delay unless one is under way or scheduled. */
  request(): void {
    if (this.#busy || this.#timer !== undefined) return;
    this.#timer = setTimeout(this.#start, this.delay);
    // kept messages do not hold the process: Go's client loses its buffer at exit too
    this.#timer.unref();
  }

  /** The connection changed: the round trip under way confirms nothing. */
  cancel(): void {
    this.#epoch++;
    this.#busy = false;
  }

  /** No more round trips (the connection closed). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.cancel();
  }

  readonly #start = (): void => {
    this.#timer = undefined;
    // busy while `mark` runs: it may hand messages over, and their request() is this round trip
    this.#busy = true;
    const mark = this.mark();
    this.#busy = false;
    if (mark === undefined) return;
    const epoch = this.#epoch;
    let pong: Promise<void>;
    try {
      pong = this.nc.flush();
    } catch {
      return; // closed: nothing will be confirmed
    }
    this.#busy = true;
    pong.then(
      () => {
        if (epoch !== this.#epoch) return;
        this.#busy = false;
        this.confirmed(mark);
      },
      () => {
        // disconnected: the messages stay kept; the outbox sends them again on the next socket
        if (epoch === this.#epoch) this.#busy = false;
      },
    );
  };
}
