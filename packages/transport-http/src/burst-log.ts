// Refusals come in bursts (a client retrying, a flood, a process at its descriptor limit): one log
// line per connection would bury everything else. The first of a burst is logged at error level,
// the count once the burst is over (no refusal for `quietMs`).
import type { Logger } from "@micro/core";

export class BurstLog {
  #count = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly quietMs = 1_000,
  ) {}

  /** One refusal; `first` builds the message when it starts a burst. */
  hit(first: () => string, over: (count: number) => string): void {
    if (this.#count++ === 0) this.logger.error(first());
    if (this.#timer) this.#timer.refresh();
    else {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        const n = this.#count;
        this.#count = 0;
        this.logger.info(over(n));
      }, this.quietMs);
      this.#timer.unref();
    }
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#count = 0;
  }
}
