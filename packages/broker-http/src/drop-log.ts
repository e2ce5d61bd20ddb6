// Dropped messages made visible without flooding the log: a dead subscriber under load drops a
// message per publish. The first drop to a node is logged at once; after that, one line per node
// per interval sums the drops since, so a node that keeps dropping costs one line every 10 s.
import type { Logger, Node } from "@micro/core";

/** How often a node that keeps dropping is reported, in ms. */
export const DROP_LOG_INTERVAL = 10_000;

interface Pending {
  address: string;
  /** Drops since the last line. */
  count: number;
  topics: Set<string>;
  reason: string;
  timer: NodeJS.Timeout;
}

export class DropLog {
  readonly #logger: Logger;
  readonly #interval: number;
  readonly #nodes = new Map<string, Pending>();

  constructor(logger: Logger, interval = DROP_LOG_INTERVAL) {
    this.#logger = logger;
    this.#interval = interval;
  }

  /** Notes one message for `topic` that `node` did not take, and why. */
  dropped(node: Node, topic: string, reason: string): void {
    const p = this.#nodes.get(node.id);
    if (p) {
      p.count++;
      p.topics.add(topic);
      p.reason = reason;
      return;
    }
    this.#logger.warn(
      `http broker: dropped a message for ${topic} to ${node.id} at ${node.address}: ${reason}` +
        ` (further drops to this node are summed every ${this.#interval / 1000} s)`,
    );
    this.#nodes.set(node.id, {
      address: node.address,
      count: 0,
      topics: new Set(),
      reason,
      timer: this.#arm(node.id),
    });
  }

  /** Logs what is pending and stops the timers (the broker is disconnecting). */
  close(): void {
    for (const id of [...this.#nodes.keys()]) this.#flush(id, false);
  }

  #arm(id: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.#flush(id, true), this.#interval);
    timer.unref();
    return timer;
  }

  #flush(id: string, rearm: boolean): void {
    const p = this.#nodes.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    if (p.count === 0) {
      // quiet for a whole interval: the next drop is logged at once again
      this.#nodes.delete(id);
      return;
    }
    this.#logger.warn(
      `http broker: dropped ${p.count} more message${p.count === 1 ? "" : "s"} to ${id} at ${p.address}` +
        ` since the last warning (topics ${[...p.topics].join(", ")}; last: ${p.reason})`,
    );
    p.count = 0;
    p.topics.clear();
    if (rearm) p.timer = this.#arm(id);
    else this.#nodes.delete(id);
  }
}
