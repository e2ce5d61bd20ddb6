// One subscription = one kafkajs consumer in its own consumer group: the queue name, or a random
// UUID so that every non-queue subscriber sees every message (go-micro's kafka plugin does the same).
//
// Delivery is at-least-once. kafkajs runs with autoCommit on but eachBatchAutoResolve off, so an
// offset becomes committable only when we resolve it, and we resolve it only after the handler
// resolved (or, with autoAck off, when the handler acks). kafkajs then commits resolved offsets at
// the end of each batch and when the consumer stops. A handler that throws (or nacks) leaves its
// offset unresolved and gets the same message again after a backoff, in place: the partition waits,
// so Kafka's order is kept. If the consumer stops or loses the partition meanwhile, nothing past the
// failed message was committed, and whoever consumes the partition next starts again from it.
import { randomUUID } from "node:crypto";
import type { BrokerEvent, BrokerHandler, BrokerSubscription, SubscribeOptions } from "@micro/core";
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from "kafkajs";
import { EnvelopeError } from "./envelope.js";
import { KafkaBrokerError, unreachable, within } from "./errors.js";
import type { Resolved } from "./options.js";
import { fromRecord } from "./record.js";
import type { Topics } from "./topics.js";

const MAX_REDELIVERY_DELAY = 30_000;

type Batch = Pick<EachBatchPayload, "resolveOffset" | "heartbeat" | "isRunning" | "isStale">;

export class KafkaSubscription implements BrokerSubscription {
  readonly topic: string;
  readonly queue?: string;
  readonly groupId: string;
  readonly #consumer: Consumer;
  readonly #handler: BrokerHandler;
  readonly #autoAck: boolean;
  readonly #o: Resolved;
  readonly #onClose: (s: KafkaSubscription) => void;
  #closed: Promise<void> | undefined;

  private constructor(
    kafka: Kafka,
    o: Resolved,
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions,
    onClose: (s: KafkaSubscription) => void,
  ) {
    this.topic = topic;
    if (options.queue) this.queue = options.queue;
    this.groupId = options.queue || randomUUID();
    this.#handler = handler;
    this.#autoAck = options.autoAck ?? true;
    this.#o = o;
    this.#onClose = onClose;
    this.#consumer = kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: o.sessionTimeout,
      heartbeatInterval: o.heartbeatInterval,
      // the topic was created before we subscribe; never create one from a consumer's metadata call
      allowAutoTopicCreation: false,
      // the longest a fetch waits for data: also how long unsubscribe() may wait for it to return
      maxWaitTimeInMs: 1000,
      retry: { retries: o.retries, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  /** Resolves once the consumer joined its group and starts where it should. */
  static async start(
    kafka: Kafka,
    topics: Topics,
    o: Resolved,
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions,
    onClose: (s: KafkaSubscription) => void,
  ): Promise<KafkaSubscription> {
    await topics.ensure(topic);
    const sub = new KafkaSubscription(kafka, o, topic, handler, options, onClose);
    // A random group is new by construction and starts at "newest", as in go-micro. kafkajs would
    // look the newest offset up only at its first fetch, after the group join: a message published
    // between subscribe() resolving and that fetch would be missed. So the end of each partition is
    // read now and the consumer is moved there once it has joined.
    const ends = sub.queue ? undefined : await topics.ends(topic);
    try {
      await sub.#run(ends);
    } catch (err) {
      // not awaited: a request in flight to a silent peer would hold disconnect for requestTimeout
      void sub.#consumer.disconnect().catch(() => {});
      throw err;
    }
    return sub;
  }

  async #run(ends: { partition: number; offset: string }[] | undefined): Promise<void> {
    const c = this.#consumer;
    const bound = this.#o.connectionTimeout * (this.#o.retries + 1) + 5000;
    await within(bound, c.connect(), () => unreachable(this.#o.brokers, new Error("timed out"))).catch(
      (err) => {
        throw err instanceof KafkaBrokerError ? err : unreachable(this.#o.brokers, err);
      },
    );
    // A named group resumes from its committed offsets; a new one starts at the earliest record, so
    // a queue group never loses what was published between its creation and its first join (go-micro
    // starts new groups at the newest offset; for a work queue, losing messages is the worse default).
    await c.subscribe({ topics: [this.topic], fromBeginning: !!this.queue });
    // kafkajs resolves run() once the group is joined and synced, or once joining failed, in which
    // case it restarts the consumer when the error is retriable (a coordinator still loading...):
    // wait for a join, a crash it will not recover from, or the deadline.
    let offJoin = () => {};
    const joined = new Promise<void>((resolve, reject) => {
      offJoin = c.on(c.events.GROUP_JOIN, () => resolve());
      // kept for the consumer's lifetime: a later crash is worth a warning too
      c.on(c.events.CRASH, (e) => {
        const err = e.payload.error;
        const again = e.payload.restart ? "kafkajs restarts it" : "it stopped";
        this.#o.logger.warn(
          `kafka broker: the consumer of ${this.topic} (group ${this.groupId}) crashed, ${again}: ${err.message}`,
        );
        if (!e.payload.restart) reject(this.#joinError(err));
      });
    });
    joined.catch(() => {});
    try {
      await c.run({
        autoCommit: true,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.#batch(payload),
      });
      await within(this.#o.sessionTimeout * 3, joined, () => this.#joinError(new Error("timed out")));
    } finally {
      offJoin();
    }
    for (const e of ends ?? []) c.seek({ topic: this.topic, partition: e.partition, offset: e.offset });
  }

  #joinError(cause: Error): KafkaBrokerError {
    return new KafkaBrokerError(
      `kafka broker: could not join consumer group ${this.groupId} for ${this.topic} at ${this.#o.brokers.join(", ")} (${cause.message})`,
      { cause },
    );
  }

  async #batch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const ctl = { resolveOffset, heartbeat, isRunning, isStale };
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) return;
      if (!(await this.#deliver(batch.partition, m, ctl))) return;
      await heartbeat();
    }
  }

  /** Hands one record to the handler until it succeeds; false when the partition was given up. */
  async #deliver(partition: number, m: KafkaMessage, ctl: Batch): Promise<boolean> {
    let message: ReturnType<typeof fromRecord>;
    try {
      message = fromRecord(this.topic, m.value, m.headers);
    } catch (err) {
      if (!(err instanceof EnvelopeError)) throw err;
      // go-micro hands undecodable records to its error handler and moves on; so do we, loudly
      this.#o.logger.warn(
        `kafka broker: skipped record ${this.topic}/${partition}@${m.offset}: not a go-micro envelope (${err.message})`,
      );
      ctl.resolveOffset(m.offset);
      return true;
    }
    for (let failures = 0; ; failures++) {
      let acked = false;
      let nacked = false;
      const event: BrokerEvent = {
        topic: this.topic,
        message: failures === 0 ? message : { header: { ...message.header }, body: message.body },
        ack: async () => {
          if (!acked && !nacked) ctl.resolveOffset(m.offset);
          acked = true;
        },
        nack: async () => {
          nacked = true;
        },
      };
      let failed: unknown;
      try {
        await this.#handler(event);
      } catch (err) {
        failed = err;
      }
      if (failed === undefined && !nacked) {
        if (this.#autoAck && !acked) ctl.resolveOffset(m.offset);
        return true;
      }
      const why = failed === undefined ? "nacked" : `failed: ${(failed as Error)?.message ?? String(failed)}`;
      const delay = Math.min(this.#o.redeliveryDelay * 2 ** failures, MAX_REDELIVERY_DELAY);
      this.#o.logger.warn(
        `kafka broker: handler for ${this.topic}/${partition}@${m.offset} ${why}; delivering it again in ${delay} ms`,
      );
      if (!(await this.#wait(delay, ctl))) return false;
    }
  }

  /** Sleeps while keeping the group membership alive; false when the consumer stops meanwhile. */
  async #wait(ms: number, ctl: Batch): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!ctl.isRunning() || ctl.isStale()) return false;
      await new Promise((r) => setTimeout(r, Math.min(until - Date.now(), 100)));
      await ctl.heartbeat();
    }
    return ctl.isRunning() && !ctl.isStale();
  }

  unsubscribe(): Promise<void> {
    this.#closed ??= (async () => {
      this.#onClose(this);
      // leaves the group and commits what was resolved
      await this.#consumer.disconnect();
    })();
    return this.#closed;
  }
}
