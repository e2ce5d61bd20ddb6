// go-micro's rabbitmq broker: messages are published to one exchange (`micro`, type topic) with the
// topic as routing key, the raw body and the headers as an AMQP table; each subscription is a queue
// bound with the topic. Unlike Go's defaults we ack after the handler (at-least-once), confirm
// publishes and bound the unacked deliveries per subscription.
import {
  type Broker,
  type BrokerHandler,
  type BrokerMessage,
  type BrokerSubscription,
  getLogger,
  type Logger,
  type PublishOptions,
  type SubscribeOptions,
} from "@micro/core";
import type { ChannelModel, SocketOptions } from "amqplib";
import { ManagedConnection } from "./connection.js";
import { Consumer } from "./consumer.js";
import { type RabbitMQBrokerOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { Publisher } from "./publisher.js";
import { normalizeUrls } from "./url.js";

function socketOptions(tls: RabbitMQBrokerOptions["tls"]): SocketOptions {
  if (!tls) return {};
  const { insecureSkipVerify, ...context } = tls;
  // go-micro dials TLS without verification unless told otherwise (MICRO_TLS_SECURE=true)
  return { ...context, rejectUnauthorized: insecureSkipVerify === false };
}

export class RabbitMQBroker implements Broker {
  readonly name = "rabbitmq";
  readonly #o: ResolvedOptions;
  readonly #logger: Logger;
  readonly #conn: ManagedConnection;
  readonly #publisher: Publisher;
  // each live subscription and how to unregister its restorer
  readonly #consumers = new Map<Consumer, () => void>();

  constructor(options: RabbitMQBrokerOptions = {}) {
    this.#o = resolveOptions(options);
    this.#logger = options.logger ?? getLogger();
    this.#conn = new ManagedConnection({
      urls: normalizeUrls(options.addresses, !!options.tls),
      socket: socketOptions(options.tls),
      heartbeat: this.#o.heartbeat,
      attempts: this.#o.connectAttempts,
      timeout: this.#o.connectTimeout,
      reconnectDelay: this.#o.reconnectDelay,
      reconnectMaxDelay: this.#o.reconnectMaxDelay,
      logger: this.#logger,
    });
    this.#publisher = new Publisher(this.#conn, {
      exchange: this.#o.exchange,
      confirm: this.#o.confirm,
      persistent: this.#o.persistent,
      publishWait: this.#o.publishWait,
      logger: this.#logger,
    });
    // order matters on every (re)connection: the exchange exists before anything binds to it
    this.#conn.onConnect((model) => this.#declareExchange(model));
    this.#conn.onConnect(this.#publisher.restore);
  }

  /** The AMQP URL in use, without credentials. */
  address(): string {
    return this.#conn.address;
  }

  async #declareExchange(model: ChannelModel): Promise<void> {
    const ch = await model.createChannel();
    ch.on("error", () => {}); // a refused declaration rejects below; the event must not crash us
    try {
      await ch.assertExchange(this.#o.exchange, this.#o.exchangeType, { durable: this.#o.exchangeDurable });
    } finally {
      await ch.close().catch(() => {});
    }
  }

  /** Idempotent; fails after `connectAttempts` with a 503 naming the server. */
  connect(): Promise<void> {
    return this.#conn.open();
  }

  async disconnect(): Promise<void> {
    for (const forget of this.#consumers.values()) forget();
    await Promise.all([...this.#consumers.keys()].map((c) => c.stop()));
    this.#consumers.clear();
    await this.#publisher.close();
    await this.#conn.close();
  }

  publish(topic: string, message: BrokerMessage, options: PublishOptions = {}): Promise<void> {
    if (!topic) return Promise.reject(new TypeError("publish: topic is required"));
    return this.#publisher.publish(topic, message, options.signal);
  }

  async subscribe(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions = {},
  ): Promise<BrokerSubscription> {
    if (!topic) throw new TypeError("subscribe: topic is required");
    if (typeof handler !== "function") throw new TypeError("subscribe: handler must be a function");
    // like the client, which connects the broker lazily: subscribing first is allowed
    if (this.#conn.closed) await this.connect();
    const queue = options.queue ?? "";
    const consumer = new Consumer({
      exchange: this.#o.exchange,
      topic,
      queue,
      durable: options.durable ?? false,
      autoAck: options.autoAck ?? true,
      prefetch: this.#o.prefetch,
      requeueOnError: this.#o.requeueOnError,
      handler,
      logger: this.#logger,
      isLive: (model) => this.#conn.model === model,
    });
    const model = this.#conn.model ?? (await this.#conn.ready(this.#o.publishWait));
    // while disconnected the consumer starts with the next connection, like one restored after a drop
    if (model) await consumer.restore(model);
    const forget = this.#conn.onConnect(consumer.restore);
    this.#consumers.set(consumer, forget);
    const consumers = this.#consumers;
    return {
      topic,
      ...(queue ? { queue } : {}),
      async unsubscribe() {
        forget();
        consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }
}
