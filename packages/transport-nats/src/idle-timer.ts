// A deadline that activity pushes back, for sockets that see a message each way per call: touch()
// only notes the time, and the one timer, when it fires early, is set again for what is left.
// Refreshing a Node timer per message reinserts it in the timer list and reads the loop clock, twice
// per call on a server socket.

export class IdleTimer {
  #last = performance.now();
  #timer: NodeJS.Timeout | undefined;

  /** `onIdle` runs once `ms` pass without touch(); 0 = never. The timer does not hold the process. */
  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    if (ms > 0) this.#arm(ms);
  }

  touch(): void {
    this.#last = performance.now();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, ms);
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const left = this.#last + this.ms - performance.now();
    if (left > 0) this.#arm(left);
    else this.onIdle();
  };
}
