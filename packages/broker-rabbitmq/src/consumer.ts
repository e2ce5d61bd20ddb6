// One subscription: its own channel (so its prefetch and a channel error stay its own), a queue
// bound to the exchange with routing key = topic, and a consumer that acks after the handler
// resolves. It is set up again on every new connection and after an unexpected channel close.
import { randomUUID } from "node:crypto";
import type { BrokerEvent, BrokerHandler, Logger } from "@micro/core";
import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { deliveryHeader } from "./headers.js";

export interface ConsumerSettings {
  exchange: string;
  topic: string;
  /** Empty: a server-named exclusive queue, i.e. a private broadcast queue. */
  queue: string;
  durable: boolean;
  autoAck: boolean;
  prefetch: number;
  requeueOnError: boolean;
  handler: BrokerHandler;
  logger: Logger;
  /** Whether `model` is still the live connection (a dead one is restored by the connection). */
  isLive: (model: ChannelModel) => boolean;
}

export class Consumer {
  readonly #s: ConsumerSettings;
  #channel: Channel | undefined;
  #model: ChannelModel | undefined;
  #tag: string | undefined;
  #stopped = false;

  constructor(settings: ConsumerSettings) {
    this.#s = settings;
  }

  /** Restorer: declare, bind and consume on `model`. Rejects when the server refuses the setup. */
  readonly restore = async (model: ChannelModel): Promise<void> => {
    if (this.#stopped) return;
    this.#model = model;
    const s = this.#s;
    const ch = await model.createChannel();
    ch.on("error", (err: Error) =>
      s.logger.warn(`rabbitmq broker: subscriber channel of ${s.topic}: ${err.message}`),
    );
    ch.once("close", () => this.#channelClosed(ch, model));
    try {
      if (s.prefetch > 0) await ch.prefetch(s.prefetch, false);
      const declared = await ch.assertQueue(
        s.queue,
        s.queue
          ? { durable: s.durable, autoDelete: !s.durable, exclusive: false }
          : // a private queue dies with its connection: no leftovers when a process goes away
            { durable: false, autoDelete: true, exclusive: true },
      );
      await ch.bindQueue(declared.queue, s.exchange, s.topic);
      const tag = randomUUID();
      this.#channel = ch;
      this.#tag = tag;
      await ch.consume(declared.queue, (msg) => this.#deliver(ch, msg), { noAck: false, consumerTag: tag });
    } catch (err) {
      if (this.#channel === ch) this.#channel = undefined;
      await ch.close().catch(() => {});
      throw err;
    }
  };

  // A channel closed by the server while the connection lives (a consumer cancelled, a queue
  // deleted...) is set up again here; a lost connection is handled by the connection's restorers.
  #channelClosed(ch: Channel, model: ChannelModel): void {
    if (this.#channel !== ch) return;
    this.#channel = undefined;
    if (this.#stopped || !this.#s.isLive(model)) return;
    setTimeout(() => {
      if (this.#stopped || this.#channel || this.#model !== model || !this.#s.isLive(model)) return;
      this.restore(model).catch((err: Error) =>
        this.#s.logger.warn(`rabbitmq broker: could not resubscribe to ${this.#s.topic}: ${err.message}`),
      );
    }, 200);
  }

  #deliver(ch: Channel, msg: ConsumeMessage | null): void {
    if (!msg) {
      // the server cancelled the consumer (its queue was deleted): start over on a new channel
      void ch.close().catch(() => {});
      return;
    }
    const s = this.#s;
    let settled = false;
    // A delivery tag belongs to its channel: after a reconnect the server redelivers unacked
    // messages anyway, and acking an old tag on a new channel would close that channel.
    const settle = (how: (c: Channel) => void) => {
      if (settled) return;
      settled = true;
      if (this.#channel === ch) how(ch);
    };
    const ack = async () => settle((c) => c.ack(msg));
    const nack = async () => settle((c) => c.nack(msg, false, s.requeueOnError));
    const content = msg.content;
    const event: BrokerEvent = {
      topic: msg.fields.routingKey,
      message: {
        header: deliveryHeader(msg.properties.headers, msg.properties.contentType, msg.fields.routingKey),
        body: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
      },
      ack,
      nack,
    };
    let result: void | Promise<void>;
    try {
      result = s.handler(event);
    } catch (err) {
      this.#failed(err, nack);
      return;
    }
    if (result && typeof (result as Promise<void>).then === "function") {
      (result as Promise<void>).then(
        () => (s.autoAck ? ack() : undefined),
        (err: unknown) => this.#failed(err, nack),
      );
    } else if (s.autoAck) {
      void ack();
    }
  }

  // Go nacks a failed message (requeue per RequeueOnError); with autoAck off we do the same when the
  // handler failed without settling the message itself.
  #failed(err: unknown, nack: () => Promise<void>): void {
    this.#s.logger.error(`rabbitmq broker: subscriber of ${this.#s.topic} failed`, err);
    void nack();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const ch = this.#channel;
    const tag = this.#tag;
    this.#channel = undefined;
    if (!ch) return;
    // cancel first so the server stops sending; unacked messages go back to the queue on close
    if (tag) await ch.cancel(tag).catch(() => {});
    await ch.close().catch(() => {});
  }
}
