// One broker subscription: every NATS message is decoded as go-micro's envelope and handed to the
// handler. Handlers start in arrival order; an async handler does not hold up the next message
// (the NATS callback is synchronous), and its failure is logged as go-micro's error handler does.
import {
  type BrokerEvent,
  type BrokerHandler,
  type BrokerSubscription,
  decodeEnvelope,
  type Logger,
} from "@micro/core";
import type { Msg, NatsConnection, Subscription } from "@nats-io/nats-core";

const NO_ACK = () => Promise.resolve();

export class NatsSubscription implements BrokerSubscription {
  readonly #sub: Subscription;
  #gone = false;

  constructor(
    nc: NatsConnection,
    readonly topic: string,
    readonly queue: string | undefined,
    handler: BrokerHandler,
    logger: Logger,
    private readonly onGone: (s: NatsSubscription) => void,
  ) {
    const deliver = (msg: Msg) => {
      let message: BrokerEvent["message"];
      try {
        message = decodeEnvelope(
          Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength).toString("utf8"),
        );
      } catch (err) {
        logger.warn(
          `nats broker: dropped a message on ${msg.subject} that is not a go-micro envelope: ${(err as Error).message}`,
        );
        return;
      }
      // NATS core has no acknowledgements: ack is a no-op whatever autoAck says, as in go-micro.
      const event: BrokerEvent = { topic, message, ack: NO_ACK };
      try {
        const r = handler(event);
        if (r && typeof r.then === "function") r.then(undefined, (err) => report(err));
      } catch (err) {
        report(err);
      }
    };
    const report = (err: unknown) =>
      logger.error(
        `nats broker: handler for ${topic} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    this.#sub = nc.subscribe(topic, {
      ...(queue ? { queue } : {}),
      callback: (err, msg) => {
        if (err) logger.warn(`nats broker: subscription ${topic}: ${err.message}`);
        else deliver(msg);
      },
    });
  }

  async unsubscribe(): Promise<void> {
    if (this.#gone) return;
    this.#gone = true;
    this.onGone(this);
    if (!this.#sub.isClosed()) this.#sub.unsubscribe();
  }
}
