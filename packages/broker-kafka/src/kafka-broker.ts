// go-micro's kafka broker on kafkajs: one producer and one admin client per broker, one consumer per
// subscription. Records carry the JSON envelope as their value (what Go peers read) and the
// message headers also as Kafka record headers (what other Kafka tools read).
import type {
  Broker,
  BrokerHandler,
  BrokerMessage,
  BrokerSubscription,
  PublishOptions,
  SubscribeOptions,
} from "@micro/core";
import { type Admin, Kafka, Partitioners, type Producer } from "kafkajs";
import { encodeEnvelope } from "./envelope.js";
import { KafkaBrokerError, unreachable, within } from "./errors.js";
import { type KafkaBrokerOptions, type Resolved, resolveOptions } from "./options.js";
import { recordHeaders } from "./record.js";
import { KafkaSubscription } from "./subscription.js";
import { Topics } from "./topics.js";

interface Clients {
  producer: Producer;
  admin: Admin;
  topics: Topics;
}

export class KafkaBroker implements Broker {
  readonly name = "kafka";
  readonly #o: Resolved;
  readonly #kafka: Kafka;
  readonly #subs = new Set<KafkaSubscription>();
  #clients: Promise<Clients> | undefined;

  constructor(options: KafkaBrokerOptions) {
    this.#o = resolveOptions(options);
    this.#kafka = new Kafka(this.#o.kafka);
  }

  /** The bootstrap brokers, comma-separated. */
  address(): string {
    return this.#o.brokers.join(",");
  }

  async connect(): Promise<void> {
    await this.#connected();
  }

  // Lazy and shared: publish/subscribe before connect() connect first, concurrent callers wait for
  // the same attempt, and a failed attempt is forgotten so the next call tries again.
  #connected(): Promise<Clients> {
    if (!this.#clients) {
      const p = this.#open();
      p.catch(() => {
        if (this.#clients === p) this.#clients = undefined;
      });
      this.#clients = p;
    }
    return this.#clients;
  }

  async #open(): Promise<Clients> {
    const producer = this.#kafka.producer({
      // explicit, so kafkajs does not warn that its v2 default changed; no key means round-robin
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      retry: { retries: this.#o.retries, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    const admin = this.#kafka.admin({
      retry: { retries: this.#o.retries, initialRetryTime: 100, maxRetryTime: 1000 },
    });
    // kafkajs bounds each attempt, but attempts, backoff and both clients add up: one deadline for all
    const bound = this.#o.connectionTimeout * (this.#o.retries + 1) + 5000;
    try {
      await within(bound, Promise.all([producer.connect(), admin.connect()]), () =>
        unreachable(this.#o.brokers, new Error(`no answer within ${bound} ms`)),
      );
    } catch (err) {
      // not awaited: a request in flight to a silent peer would hold disconnect for requestTimeout
      void Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw err instanceof KafkaBrokerError ? err : unreachable(this.#o.brokers, err);
    }
    return { producer, admin, topics: new Topics(admin, this.#o.partitions) };
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled([...this.#subs].map((s) => s.unsubscribe()));
    const clients = this.#clients;
    this.#clients = undefined;
    const c = await clients?.catch(() => undefined);
    if (c) await Promise.allSettled([c.producer.disconnect(), c.admin.disconnect()]);
  }

  async publish(topic: string, message: BrokerMessage, options?: PublishOptions): Promise<void> {
    const { producer, topics } = await this.#connected();
    options?.signal?.throwIfAborted();
    await topics.ensure(topic);
    options?.signal?.throwIfAborted();
    // no key, like go-micro: records spread over the partitions
    await producer.send({
      topic,
      messages: [{ value: encodeEnvelope(message), headers: recordHeaders(message) }],
    });
  }

  async subscribe(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions = {},
  ): Promise<BrokerSubscription> {
    const { topics } = await this.#connected();
    const sub = await KafkaSubscription.start(this.#kafka, topics, this.#o, topic, handler, options, (s) =>
      this.#subs.delete(s),
    );
    this.#subs.add(sub);
    return sub;
  }
}
