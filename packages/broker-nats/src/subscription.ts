// One core NATS broker subscription: every message is decoded as go-micro's envelope and handed to
// the handler. Handlers start in arrival order; an async handler does not hold up the next message
// (the NATS callback is synchronous), and its failure is logged as go-micro's error handler does.
// The callback is one bound method per subscription, so a message costs the decoded envelope and
// the event, nothing more.
import type { BrokerHandler, BrokerSubscription, Logger } from "@micro/core";
import { decodeEnvelopeBytes } from "@micro/core/plugin-kit";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";
import { dispatch } from "./dispatch.js";

// NATS core has no acknowledgements: ack is a no-op whatever autoAck says, as in go-micro.
const NO_ACK = () => Promise.resolve();

export class NatsSubscription implements BrokerSubscription {
  readonly #sub: Subscription;
  readonly #handler: BrokerHandler;
  readonly #logger: Logger;
  readonly #onGone: (s: NatsSubscription) => void;
  readonly #report = (err: unknown) =>
    this.#logger.error(
      `nats broker: handler for ${this.topic} failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  #gone = false;

  constructor(
    nc: NatsConnection,
    readonly topic: string,
    readonly queue: string | undefined,
    handler: BrokerHandler,
    logger: Logger,
    onGone: (s: NatsSubscription) => void,
  ) {
    this.#handler = handler;
    this.#logger = logger;
    this.#onGone = onGone;
    this.#sub = nc.subscribe(topic, { ...(queue ? { queue } : {}), callback: this.#onMessage });
  }

  readonly #onMessage = (err: Error | null, msg: Msg): void => {
    if (err) {
      this.#logger.warn(`nats broker: subscription ${this.topic}: ${err.message}`);
      return;
    }
    let message: ReturnType<typeof decodeEnvelopeBytes>;
    try {
      message = decodeEnvelopeBytes(msg.data);
    } catch (e) {
      this.#logger.warn(
        `nats broker: dropped a message on ${msg.subject} that is not a go-micro envelope: ${(e as Error).message}`,
      );
      return;
    }
    dispatch(this.#handler, { topic: this.topic, message, ack: NO_ACK }, undefined, this.#report);
  };

  async unsubscribe(): Promise<void> {
    if (this.#gone) return;
    this.#gone = true;
    this.#onGone(this);
    if (!this.#sub.isClosed()) this.#sub.unsubscribe();
  }
}
