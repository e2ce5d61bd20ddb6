// Publishing: one channel per connection, a confirm channel by default so `publish()` resolves once
// the server has taken the message (at-least-once from the publisher's side). The channel is made
// again on every new connection and lazily after a channel-level error.
import { type BrokerMessage, isMicroError, type Logger } from "@micro/core";
import type { Channel, ChannelModel, ConfirmChannel, Options } from "amqplib";
import { type ManagedConnection, unavailable } from "./connection.js";
import { publishProperties } from "./headers.js";

export interface PublisherSettings {
  exchange: string;
  confirm: boolean;
  persistent: boolean;
  publishWait: number;
  logger: Logger;
}

export class Publisher {
  readonly #conn: ManagedConnection;
  readonly #s: PublisherSettings;
  #channel: Channel | ConfirmChannel | undefined;
  #opening: Promise<Channel> | undefined;
  #drained: Promise<void> | undefined;

  constructor(conn: ManagedConnection, settings: PublisherSettings) {
    this.#conn = conn;
    this.#s = settings;
  }

  /** Restorer: a fresh channel on each new connection. */
  readonly restore = async (model: ChannelModel): Promise<void> => {
    this.#channel = undefined;
    this.#opening = undefined;
    await this.#open(model);
  };

  #open(model: ChannelModel): Promise<Channel> {
    this.#opening ??= (async () => {
      const ch = this.#s.confirm ? await model.createConfirmChannel() : await model.createChannel();
      ch.on("error", (err: Error) =>
        this.#s.logger.warn(`rabbitmq broker: publish channel error: ${err.message}`),
      );
      ch.once("close", () => {
        if (this.#channel === ch) this.#channel = undefined;
      });
      this.#channel = ch;
      this.#drained = undefined;
      return ch;
    })().finally(() => (this.#opening = undefined));
    return this.#opening;
  }

  async #current(signal?: AbortSignal): Promise<Channel> {
    if (this.#channel) return this.#channel;
    if (this.#opening) return this.#opening;
    const model = this.#conn.model ?? (await this.#conn.ready(this.#s.publishWait, signal));
    if (!model) {
      throw unavailable(
        `rabbitmq broker: not connected to ${this.#conn.address}` +
          (this.#conn.closed
            ? " (call connect() first)"
            : ` (reconnecting; waited ${this.#s.publishWait} ms)`),
      );
    }
    return this.#channel ?? this.#open(model);
  }

  async publish(topic: string, message: BrokerMessage, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const ch = this.#channel ?? (await this.#current(signal));
    const body = message.body;
    const content = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const props: Options.Publish = publishProperties(message.header);
    if (this.#s.persistent) props.deliveryMode = 2;
    if (!this.#s.confirm) {
      if (!ch.publish(this.#s.exchange, topic, content, props)) await this.#drain(ch);
      return;
    }
    let ok = true;
    // a channel that closed under us throws synchronously; callers get the same 503 as a lost confirm
    const confirmed = new Promise<void>((resolve, reject) => {
      ok = (ch as ConfirmChannel).publish(this.#s.exchange, topic, content, props, (err) =>
        err
          ? reject(
              unavailable(
                `rabbitmq broker: ${this.#conn.address} did not confirm the message to ${topic} (${err instanceof Error ? err.message : String(err)})`,
                err,
              ),
            )
          : resolve(),
      );
    });
    // the socket buffer is full: wait for it to drain before the next publish piles on
    if (!ok) await this.#drain(ch);
    await confirmed.catch((err: unknown) => {
      if (isMicroError(err)) throw err;
      throw unavailable(
        `rabbitmq broker: cannot publish to ${topic} on ${this.#conn.address} (${String(err)})`,
        err,
      );
    });
  }

  // one shared promise, so a thousand blocked publishers add one listener, not a thousand
  #drain(ch: Channel): Promise<void> {
    this.#drained ??= new Promise<void>((resolve) => {
      const done = () => {
        ch.off("drain", done);
        ch.off("close", done);
        this.#drained = undefined;
        resolve();
      };
      ch.on("drain", done);
      ch.on("close", done);
    });
    return this.#drained;
  }

  async close(): Promise<void> {
    const ch = this.#channel;
    this.#channel = undefined;
    if (!ch) return;
    // let outstanding confirms arrive before the channel goes
    if (this.#s.confirm) await (ch as ConfirmChannel).waitForConfirms().catch(() => {});
    await ch.close().catch(() => {});
  }
}
