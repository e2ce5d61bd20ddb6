// What happens to one message for one target (a broadcast subscriber, or a queue group's members).
// Go keeps failed messages in a per-topic inbox and retries them from a goroutine; here the first
// attempt is awaited (so `publish()` means "handed over") and later attempts run in the background
// with backoff, moving to another member when the target is a queue group — or, when the publisher
// asked for proof of delivery, are awaited too. A node that keeps failing is passed over for a while
// (its messages dropped at once rather than sent into the void). Every message a subscriber did not
// take is counted and logged.
import type { Logger, Node } from "@micro/core";
import type { DropLog } from "./drop-log.js";
import { type Answer, type Sender, taken } from "./sender.js";
import type { HttpBrokerStats } from "./stats.js";

export interface DeliveryOptions {
  /** Attempts after the inline ones (in the background unless awaited). */
  retries: number;
  /** ms before the first retry; doubled for each next one. */
  backoff: number;
  /** Consecutive failed attempts after which a node is passed over. */
  dropAfter: number;
  /** ms a node that kept failing is passed over: other members of its queue group are chosen, and a
   * message for it alone is dropped without a POST. */
  quarantine: number;
  logger: Logger;
  /** Where deliveries and drops are counted. */
  stats: HttpBrokerStats;
  drops: DropLog;
}

/** How one attempt ended: taken, refused by the subscriber (final), or no answer (worth a retry). */
type Attempt = { kind: "taken" } | { kind: "refused" | "unreachable"; reason: string };

const TAKEN: Attempt = { kind: "taken" };
const DISCONNECTED = "the broker disconnected before another attempt";

interface Retry {
  topic: string;
  node: Node;
}

export class Deliveries {
  readonly #sender: Sender;
  readonly #options: DeliveryOptions;
  readonly #pending = new Map<NodeJS.Timeout, Retry>();
  // bumped by cancel(): a background retry of an earlier generation stops (the broker disconnected)
  #generation = 0;
  // node id -> consecutive failures; a success forgives
  readonly #failures = new Map<string, number>();
  // node id -> until when (epoch ms) the node is passed over, and its last failure
  readonly #resting = new Map<string, { until: number; reason: string }>();

  constructor(sender: Sender, options: DeliveryOptions) {
    this.#sender = sender;
    this.#options = options;
  }

  /**
   * Hands `body` to one of `candidates`. Resolves after the inline attempts whatever their outcome
   * (later attempts run in the background); rejects only when `signal` aborts.
   */
  async deliver(
    topic: string,
    candidates: readonly Node[],
    body: Buffer,
    signal?: AbortSignal,
  ): Promise<void> {
    const failed = new Set<string>();
    const node = this.#choose(candidates, failed);
    if (!node) return this.#drop(topic, candidates[0]!, this.#restingReason(candidates[0]!));
    const a = await this.#inline(node, body, signal);
    if (a.kind !== "unreachable") return this.#settle(topic, node, a);
    this.#unreachable(topic, node, failed, a.reason);
    this.#options.stats.retrying++;
    this.#retry(topic, candidates, body, failed, 0, node, a.reason, this.#generation);
  }

  /**
   * Hands `body` to one of `candidates`, every attempt awaited (the retries with their backoff).
   * Resolves with undefined once a subscriber took it, else with why not (it is then dropped:
   * nothing is retried later); rejects only when `signal` aborts.
   */
  async deliverNow(
    topic: string,
    candidates: readonly Node[],
    body: Buffer,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const failed = new Set<string>();
    let node = this.#choose(candidates, failed);
    if (!node) {
      const why = this.#restingReason(candidates[0]!);
      this.#drop(topic, candidates[0]!, why);
      return why;
    }
    let a = await this.#inline(node, body, signal);
    for (let attempt = 0; a.kind === "unreachable"; attempt++) {
      this.#unreachable(topic, node, failed, a.reason);
      if (attempt >= this.#options.retries) break;
      await sleep(this.#options.backoff * 2 ** attempt, signal);
      const next = this.#choose(candidates, failed);
      if (!next) break;
      node = next;
      a = await this.#once(node, body, signal);
    }
    if (a.kind === "unreachable") a = { kind: "refused", reason: `unreachable: ${a.reason}` };
    this.#settle(topic, node, a);
    return a.kind === "taken" ? undefined : a.reason;
  }

  /** Abandons pending background attempts (the broker is disconnecting): their messages are dropped. */
  cancel(): void {
    this.#generation++;
    for (const [timer, r] of this.#pending) {
      clearTimeout(timer);
      this.#options.stats.retrying--;
      this.#drop(r.topic, r.node, DISCONNECTED);
    }
    this.#pending.clear();
  }

  // The second inline attempt covers the common benign failure: a pooled keep-alive socket the
  // subscriber closed just as we reused it.
  async #inline(node: Node, body: Buffer, signal?: AbortSignal): Promise<Attempt> {
    const first = await this.#once(node, body, signal);
    return first.kind === "unreachable" ? this.#once(node, body, signal) : first;
  }

  async #once(node: Node, body: Buffer, signal?: AbortSignal): Promise<Attempt> {
    try {
      const answer = await this.#sender.post(node, body, signal);
      return taken(answer.status) ? TAKEN : { kind: "refused", reason: refusal(answer) };
    } catch (err) {
      signal?.throwIfAborted();
      return { kind: "unreachable", reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** A final outcome: counted as delivered, or dropped. */
  #settle(topic: string, node: Node, a: Attempt): void {
    if (a.kind === "taken") {
      this.#failures.delete(node.id);
      this.#options.stats.delivered++;
    } else this.#drop(topic, node, a.reason);
  }

  #drop(topic: string, node: Node, reason: string): void {
    this.#options.stats.dropped++;
    this.#options.drops.dropped(node, topic, reason);
  }

  #unreachable(topic: string, node: Node, failed: Set<string>, reason: string): void {
    failed.add(node.id);
    this.#failed(node, reason);
    this.#options.logger.debug(`http broker: POST to ${node.address} for ${topic} failed: ${reason}`);
  }

  #retry(
    topic: string,
    candidates: readonly Node[],
    body: Buffer,
    failed: Set<string>,
    attempt: number,
    last: Node,
    reason: string,
    generation: number,
  ): void {
    if (generation !== this.#generation || attempt >= this.#options.retries) {
      this.#options.stats.retrying--;
      this.#drop(
        topic,
        last,
        generation !== this.#generation
          ? DISCONNECTED
          : `every attempt failed (${[...failed].join(", ")}; last: ${reason})`,
      );
      return;
    }
    const timer = setTimeout(
      async () => {
        this.#pending.delete(timer);
        const node = this.#choose(candidates, failed);
        if (!node) {
          this.#options.stats.retrying--;
          this.#drop(topic, last, this.#restingReason(last));
          return;
        }
        const a = await this.#once(node, body);
        if (a.kind === "unreachable") {
          this.#unreachable(topic, node, failed, a.reason);
          this.#retry(topic, candidates, body, failed, attempt + 1, node, a.reason, generation);
          return;
        }
        this.#options.stats.retrying--;
        this.#settle(topic, node, a);
      },
      this.#options.backoff * 2 ** attempt,
    );
    timer.unref();
    this.#pending.set(timer, { topic, node: last });
  }

  #failed(node: Node, reason: string): void {
    const n = (this.#failures.get(node.id) ?? 0) + 1;
    if (n < this.#options.dropAfter) {
      this.#failures.set(node.id, n);
      return;
    }
    this.#failures.delete(node.id);
    const q = this.#options.quarantine;
    this.#options.logger.warn(
      `http broker: ${node.id} at ${node.address} failed ${n} times in a row; passing it over for ${q / 1000} s`,
    );
    this.#resting.set(node.id, { until: Date.now() + q, reason });
  }

  /** A random candidate that is not resting, preferring those not yet failed for this message. */
  #choose(candidates: readonly Node[], failed: ReadonlySet<string>): Node | undefined {
    const now = Date.now();
    const awake = candidates.filter((n) => {
      const rest = this.#resting.get(n.id);
      if (rest === undefined) return true;
      if (rest.until > now) return false;
      this.#resting.delete(n.id);
      return true;
    });
    if (awake.length === 0) return undefined;
    const fresh = awake.filter((n) => !failed.has(n.id));
    const from = fresh.length > 0 ? fresh : awake;
    return from[Math.floor(Math.random() * from.length)]!;
  }

  /** Why a message for resting nodes only is dropped without a POST. */
  #restingReason(node: Node): string {
    const last = this.#resting.get(node.id)?.reason;
    const { quarantine, dropAfter } = this.#options;
    return `not answering (${last ? `${last}; ` : ""}passed over for ${quarantine / 1000} s after ${dropAfter} failures in a row)`;
  }
}

/** Why a subscriber did not take a message: its status and go-micro's error detail, if it sent one. */
function refusal(answer: Answer): string {
  let detail = answer.text.trim();
  try {
    const parsed = JSON.parse(detail) as { detail?: unknown };
    if (typeof parsed?.detail === "string") detail = parsed.detail;
  } catch {}
  return `answered ${answer.status}${detail ? `: ${detail}` : ""}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
