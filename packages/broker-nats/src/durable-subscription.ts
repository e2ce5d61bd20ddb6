// A durable broker subscription on JetStream: messages of the topic are stored by a stream and
// delivered through a durable pull consumer named after the queue, so subscribers of one queue share
// the work and nothing published while they are away is lost. With autoAck (the default) a message
// is acked when the handler succeeds and nak'ed — redelivered after `nakDelay` — when it throws;
// without autoAck the handler calls ack() or nack() itself (a message it leaves alone is redelivered
// after the consumer's ack wait). A payload that is not a go-micro envelope is terminated, never
// redelivered.
import { type BrokerHandler, type BrokerSubscription, decodeEnvelopeBytes, type Logger } from "@micro/core";
import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";

export interface DurableOptions {
  stream: string;
  durable: string;
  autoAck: boolean;
  /** Delay before a nak'ed message is redelivered, ms. */
  nakDelay: number;
}

export class DurableSubscription implements BrokerSubscription {
  readonly #handler: BrokerHandler;
  readonly #logger: Logger;
  readonly #options: DurableOptions;
  readonly #onGone: (s: DurableSubscription) => void;
  #messages: ConsumerMessages | undefined;
  #gone = false;

  private constructor(
    readonly topic: string,
    readonly queue: string,
    handler: BrokerHandler,
    logger: Logger,
    options: DurableOptions,
    onGone: (s: DurableSubscription) => void,
  ) {
    this.#handler = handler;
    this.#logger = logger;
    this.#options = options;
    this.#onGone = onGone;
  }

  static async start(
    js: JetStreamClient,
    topic: string,
    handler: BrokerHandler,
    logger: Logger,
    options: DurableOptions,
    onGone: (s: DurableSubscription) => void,
  ): Promise<DurableSubscription> {
    const sub = new DurableSubscription(topic, options.durable, handler, logger, options, onGone);
    const consumer = await js.consumers.get(options.stream, options.durable);
    sub.#messages = await consumer.consume({ callback: sub.#onMessage });
    return sub;
  }

  readonly #onMessage = (m: JsMsg): void => {
    let message: ReturnType<typeof decodeEnvelopeBytes>;
    try {
      message = decodeEnvelopeBytes(m.data);
    } catch (e) {
      this.#logger.warn(
        `nats broker: terminated a message on ${m.subject} that is not a go-micro envelope: ${(e as Error).message}`,
      );
      m.term(); // no reason: servers before 2.10 do not read "+TERM <reason>"
      return;
    }
    const { autoAck, nakDelay } = this.#options;
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
      this.#logger.error(
        `nats broker: handler for ${this.topic} (durable ${this.queue}) failed, redelivering in ${nakDelay} ms: ${err instanceof Error ? err.message : String(err)}`,
      );
      m.nak(nakDelay); // ignored by the client when the handler already acked
    };
    let r: void | Promise<void>;
    try {
      r = this.#handler(event);
    } catch (err) {
      failed(err);
      return;
    }
    if (r && typeof r.then === "function") r.then(autoAck ? () => m.ack() : undefined, failed);
    else if (autoAck) m.ack();
  };

  async unsubscribe(): Promise<void> {
    if (this.#gone) return;
    this.#gone = true;
    this.#onGone(this);
    // stops pulling; the durable consumer stays on the server with its position and unacked messages
    await this.#messages?.close().catch(() => {});
  }
}
