// go-micro's NATS broker (broker/nats): subject = topic, payload = the JSON envelope
// {"Header":{sorted},"Body":"<base64>"}, no NATS headers, `queue` = NATS queue group. Go and
// TypeScript services publish to and subscribe from each other on the same server.
import {
  type Broker,
  type BrokerHandler,
  type BrokerMessage,
  type BrokerSubscription,
  createLogger,
  encodeEnvelope,
  type Logger,
  MicroError,
  type PublishOptions,
  type SubscribeOptions,
  type TLSOptions,
} from "@micro/core";
import { connectNats, normalizeServers, redact } from "@micro/nats-connection";
import type { NatsConnection } from "@nats-io/nats-core";
import { ERROR_ID } from "./names.js";
import { NatsSubscription } from "./subscription.js";

export interface NatsBrokerOptions {
  /** Servers (`host:port` or URLs, `nats://` added); default nats://127.0.0.1:4222. */
  addresses?: readonly string[];
  tls?: TLSOptions;
  logger?: Logger;
  /** Connection attempts at connect() before failing (default 3). */
  connectAttempts?: number;
  /** Handshake timeout of one attempt in ms (default 2000). */
  connectTimeout?: number;
  /** Use an already open connection instead (it is not closed by disconnect()). */
  connection?: NatsConnection;
}

export class NatsBroker implements Broker {
  readonly name = "nats";
  readonly #servers: string[];
  readonly #options: NatsBrokerOptions;
  readonly #logger: Logger;
  readonly #subs = new Set<NatsSubscription>();
  #nc: NatsConnection | undefined;
  #connecting: Promise<NatsConnection> | undefined;

  constructor(options: NatsBrokerOptions = {}) {
    this.#options = options;
    this.#servers = normalizeServers(options.addresses);
    this.#logger = options.logger ?? createLogger();
  }

  /** The server we are connected to, else the first configured one (go-micro's Address()). */
  address(): string {
    const nc = this.#nc;
    if (nc && !nc.isClosed()) return `nats://${nc.getServer()}`;
    return redact(this.#servers[0]!);
  }

  async connect(): Promise<void> {
    await this.#connection();
  }

  #connection(): Promise<NatsConnection> {
    if (this.#nc && !this.#nc.isClosed()) return Promise.resolve(this.#nc);
    this.#connecting ??= (async () => {
      try {
        const nc =
          this.#options.connection ??
          (await connectNats({
            servers: this.#servers,
            tls: this.#options.tls,
            attempts: this.#options.connectAttempts ?? 3,
            timeout: this.#options.connectTimeout ?? 2000,
            name: "micro-broker",
            errorId: ERROR_ID,
            what: "nats broker",
          }));
        this.#nc = nc;
        return nc;
      } finally {
        this.#connecting = undefined;
      }
    })();
    return this.#connecting;
  }

  async disconnect(): Promise<void> {
    const nc = this.#nc;
    this.#nc = undefined;
    this.#subs.clear();
    if (!nc || nc === this.#options.connection || nc.isClosed()) return;
    // drain: buffered publishes reach the server and delivered messages reach their handlers first
    await nc.drain().catch(() => nc.close());
  }

  async publish(topic: string, message: BrokerMessage, options?: PublishOptions): Promise<void> {
    options?.signal?.throwIfAborted();
    // go-micro's client connects its broker lazily on the first publish; so do we
    const nc = this.#nc && !this.#nc.isClosed() ? this.#nc : await this.#connection();
    try {
      nc.publish(topic, encodeEnvelope(message));
    } catch (err) {
      throw new MicroError(
        ERROR_ID,
        `nats broker: publish to ${topic}: ${(err as Error).message}`,
        500,
        undefined,
        {
          cause: err,
        },
      );
    }
  }

  async subscribe(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions = {},
  ): Promise<BrokerSubscription> {
    if (options.durable) {
      throw MicroError.badRequest(
        ERROR_ID,
        "nats broker: durable (JetStream) subscriptions are not supported yet; subscribe without durable",
      );
    }
    const nc = await this.#connection();
    const sub = new NatsSubscription(nc, topic, options.queue || undefined, handler, this.#logger, (s) =>
      this.#subs.delete(s),
    );
    this.#subs.add(sub);
    // the SUB must reach the server before we report the subscription live, or an immediate publish
    // from another connection could miss it
    await nc.flush();
    return sub;
  }
}
