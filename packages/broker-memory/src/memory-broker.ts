// A broker inside one process, like go-micro's memory broker: no network, no serialization, but the
// same semantics as the networked brokers (fan-out, queue groups, acks), so tests and single-process
// apps exercise the code paths they will run in production.
import { randomUUID } from "node:crypto";
import {
  type Broker,
  type BrokerEvent,
  type BrokerHandler,
  type BrokerMessage,
  type BrokerSubscription,
  getLogger,
  type Logger,
  type PublishOptions,
  type SubscribeOptions,
} from "@micro/core";

export interface MemoryBrokerOptions {
  logger?: Logger;
}

interface Subscriber {
  readonly id: string;
  readonly topic: string;
  readonly queue: string | undefined;
  readonly handler: BrokerHandler;
}

export class MemoryBroker implements Broker {
  readonly name = "memory";
  /** Nothing crosses a process: a service's worker processes each subscribe to their own copy. */
  readonly processLocal = true;
  readonly #id = randomUUID();
  readonly #logger: Logger;
  // topic -> subscriber id -> subscriber
  readonly #topics = new Map<string, Map<string, Subscriber>>();
  // One instance can be shared by several services in a process: count connects so that one of them
  // disconnecting does not tear down the others' subscriptions.
  #connections = 0;

  constructor(options: MemoryBrokerOptions = {}) {
    this.#logger = options.logger ?? getLogger();
  }

  address(): string {
    return `memory://${this.#id}`;
  }

  async connect(): Promise<void> {
    this.#connections++;
  }

  async disconnect(): Promise<void> {
    if (this.#connections === 0) return;
    this.#connections--;
    if (this.#connections === 0) this.#topics.clear();
  }

  async publish(topic: string, message: BrokerMessage, options: PublishOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const subs = this.#topics.get(topic);
    if (!subs || subs.size === 0) return;
    const broadcast: Subscriber[] = [];
    const groups = new Map<string, Subscriber[]>();
    for (const s of subs.values()) {
      if (s.queue === undefined) broadcast.push(s);
      else groups.set(s.queue, [...(groups.get(s.queue) ?? []), s]);
    }
    const chosen = [...broadcast];
    for (const members of groups.values()) chosen.push(members[Math.floor(Math.random() * members.length)]!);
    // Handlers run before publish resolves, as in go-micro, so a publisher in a test can assert right
    // after awaiting; a failing handler is logged and never fails the publisher or other subscribers.
    await Promise.all(chosen.map((s) => this.#deliver(s, topic, message)));
  }

  async #deliver(sub: Subscriber, topic: string, message: BrokerMessage): Promise<void> {
    // every subscriber gets its own copy: a handler mutating its message must not affect the others
    const event: BrokerEvent = {
      topic,
      message: { header: { ...message.header }, body: new Uint8Array(message.body) },
      ack: async () => {},
    };
    try {
      await sub.handler(event);
    } catch (err) {
      this.#logger.error(`memory broker: subscriber of ${topic} failed`, err);
    }
  }

  async subscribe(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions = {},
  ): Promise<BrokerSubscription> {
    if (!topic) throw new TypeError("subscribe: topic is required");
    if (typeof handler !== "function") throw new TypeError("subscribe: handler must be a function");
    // Nothing to acknowledge in memory: autoAck and ack() are accepted and mean nothing.
    const sub: Subscriber = {
      id: randomUUID(),
      topic,
      queue: options.queue || undefined,
      handler,
    };
    let subs = this.#topics.get(topic);
    if (!subs) {
      subs = new Map();
      this.#topics.set(topic, subs);
    }
    subs.set(sub.id, sub);
    const topics = this.#topics;
    return {
      topic,
      ...(sub.queue === undefined ? {} : { queue: sub.queue }),
      async unsubscribe() {
        const current = topics.get(topic);
        if (!current?.delete(sub.id)) return;
        if (current.size === 0) topics.delete(topic);
      },
    };
  }
}
