// What happens after a POST fails. Go keeps failed messages in a per-topic inbox and retries them
// from a goroutine; here the first attempt is awaited (so `publish()` means "handed over") and later
// attempts run in the background with backoff, moving to another member when the target is a queue
// group. A node that keeps failing is reported so the publisher stops choosing it.
import type { Logger, Node } from "@micro/core";
import type { Sender } from "./sender.js";

export interface DeliveryOptions {
  /** Background attempts after the inline ones. */
  retries: number;
  /** ms before the first background attempt; doubled for each next one. */
  backoff: number;
  /** Consecutive failed attempts after which a node is given up on. */
  dropAfter: number;
  logger: Logger;
  /** Called for a node that kept failing, so the publisher stops choosing it. */
  onGiveUp: (node: Node) => void;
}

export class Deliveries {
  readonly #sender: Sender;
  readonly #options: DeliveryOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  // node id -> consecutive failures; a success forgives
  readonly #failures = new Map<string, number>();

  constructor(sender: Sender, options: DeliveryOptions) {
    this.#sender = sender;
    this.#options = options;
  }

  /**
   * Hands `body` to one of `candidates` (one node for a broadcast subscriber, the members of a
   * queue group otherwise). Resolves after the inline attempts whatever their outcome; rejects only
   * when `signal` aborts.
   */
  async deliver(
    topic: string,
    candidates: readonly Node[],
    body: Buffer,
    signal?: AbortSignal,
  ): Promise<void> {
    const failed = new Set<string>();
    const node = pick(candidates, failed);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.#sender.post(node, body, signal);
        this.#failures.delete(node.id);
        return;
      } catch (err) {
        signal?.throwIfAborted();
        // The second inline attempt covers the common benign failure: a pooled keep-alive socket
        // the subscriber closed just as we reused it.
        if (attempt === 1) {
          failed.add(node.id);
          this.#failed(node);
          this.#options.logger.debug(`http broker: POST to ${node.address} for ${topic} failed`, err);
        }
      }
    }
    this.#retry(topic, candidates, body, failed, 0);
  }

  /** Abandons pending background attempts (the broker is disconnecting). */
  cancel(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #retry(
    topic: string,
    candidates: readonly Node[],
    body: Buffer,
    failed: Set<string>,
    attempt: number,
  ): void {
    if (attempt >= this.#options.retries) {
      this.#options.logger.warn(
        `http broker: dropped a message for ${topic}: every attempt failed (${[...failed].join(", ")})`,
      );
      return;
    }
    const timer = setTimeout(
      async () => {
        this.#timers.delete(timer);
        const node = pick(candidates, failed);
        try {
          await this.#sender.post(node, body);
          this.#failures.delete(node.id);
        } catch {
          failed.add(node.id);
          this.#failed(node);
          this.#retry(topic, candidates, body, failed, attempt + 1);
        }
      },
      this.#options.backoff * 2 ** attempt,
    );
    timer.unref();
    this.#timers.add(timer);
  }

  #failed(node: Node): void {
    const n = (this.#failures.get(node.id) ?? 0) + 1;
    if (n < this.#options.dropAfter) {
      this.#failures.set(node.id, n);
      return;
    }
    this.#failures.delete(node.id);
    this.#options.logger.warn(
      `http broker: ${node.id} at ${node.address} failed ${n} times in a row; not choosing it any more`,
    );
    this.#options.onGiveUp(node);
  }
}

/** A random candidate, preferring those that have not failed yet. */
function pick(candidates: readonly Node[], failed: ReadonlySet<string>): Node {
  const fresh = candidates.filter((n) => !failed.has(n.id));
  const from = fresh.length > 0 ? fresh : candidates;
  return from[Math.floor(Math.random() * from.length)]!;
}
