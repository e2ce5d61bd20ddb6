// A durable broker subscription on JetStream: messages of the topic are stored by a stream and
// delivered through a durable pull consumer named after the queue, so subscribers of one queue share
// the work and nothing published while they are away is lost. With autoAck (the default) a message
// is acked when the handler succeeds and nak'ed — redelivered after `nakDelay` — when it throws;
// without autoAck the handler calls ack() or nack() itself (a message it leaves alone is redelivered
// after the consumer's ack wait). A payload that is not a go-micro envelope is terminated, never
// redelivered.
import type { BrokerHandler, BrokerSubscription, Logger } from "@micro/core";
import { decodeEnvelopeBytes } from "@micro/core/plugin-kit";
import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { dispatch } from "./dispatch.js";

export interface DurableOptions {
  stream: string;
  durable: string;
  autoAck: boolean;
  /** Delay before a nak'ed message is redelivered, ms. */
  nakDelay: number;
}

interface Parts {
  handler: BrokerHandler;
  logger: Logger;
  options: DurableOptions;
  onGone: (s: DurableSubscription) => void;
}

export class DurableSubscription implements BrokerSubscription {
  readonly #parts: Parts;
  #messages: ConsumerMessages | undefined;
  #gone = false;

  private constructor(
    readonly topic: string,
    parts: Parts,
  ) {
    this.#parts = parts;
  }

  get queue(): string {
    return this.#parts.options.durable;
  }

  /** Starts pulling from the durable consumer `options.durable` (which must exist) on `options.stream`. */
  static async start(js: JetStreamClient, topic: string, parts: Parts): Promise<DurableSubscription> {
    const sub = new DurableSubscription(topic, parts);
    const consumer = await js.consumers.get(parts.options.stream, parts.options.durable);
    sub.#messages = await consumer.consume({ callback: sub.#onMessage });
    return sub;
  }

  readonly #onMessage = (m: JsMsg): void => {
    let message: ReturnType<typeof decodeEnvelopeBytes>;
    try {
      message = decodeEnvelopeBytes(m.data);
    } catch (e) {
      this.#parts.logger.warn(
        `nats broker: terminated a message on ${m.subject} that is not a go-micro envelope: ${(e as Error).message}`,
      );
      m.term(); // no reason: servers before 2.10 do not read "+TERM <reason>"
      return;
    }
    const { autoAck, nakDelay } = this.#parts.options;
    const event = {
      topic: this.topic,
      message,
      ack: () => {
        m.ack();
        return Promise.resolve();
      },
      nack: () => {
        m.nak(nakDelay);
        return Promise.resolve();
      },
    };
    const failed = (err: unknown) => {
      this.#parts.logger.error(
        `nats broker: handler for ${this.topic} (durable ${this.queue}) failed, redelivering in ${nakDelay} ms: ${err instanceof Error ? err.message : String(err)}`,
      );
      m.nak(nakDelay); // ignored by the client when the handler already acked
    };
    dispatch(this.#parts.handler, event, autoAck ? () => m.ack() : undefined, failed);
  };

  async unsubscribe(): Promise<void> {
    if (this.#gone) return;
    this.#gone = true;
    this.#parts.onGone(this);
    // stops pulling; the durable consumer stays on the server with its position and unacked messages
    await this.#messages?.close().catch(() => {});
  }
}
