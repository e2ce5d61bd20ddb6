// go-micro's NATS broker (broker/nats): subject = topic, payload = the JSON envelope
// {"Header":{sorted},"Body":"<base64>"}, no NATS headers, `queue` = NATS queue group. Go and
// TypeScript services publish to and subscribe from each other on the same server.
import {
  type Broker,
  type BrokerHandler,
  type BrokerMessage,
  type BrokerSubscription,
  createLogger,
  type Logger,
  MicroError,
  type PublishOptions,
  type SubscribeOptions,
  type TLSOptions,
} from "@micro/core";
import { encodeEnvelopeBytes } from "@micro/core/plugin-kit";
import { LazyConnection, normalizeServers, Outbox, openNats, redact } from "@micro/nats-connection";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { DurableSubscription } from "./durable-subscription.js";
import { checkDurableName, type DurableSettings, ensureConsumer, ensureStream } from "./jetstream-setup.js";
import { ERROR_ID } from "./names.js";
import { checkPublish } from "./publish-check.js";
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
  /**
   * Bytes of published messages kept while NATS is away, sent once reconnected (default 8 MiB, Go's
   * ReconnectBufSize); beyond it publish() rejects with a 503. 0 keeps nothing (the client's own
   * buffer, which it empties when it dials again).
   */
  reconnectBufferSize?: number;
  /** Durable (JetStream) subscriptions: ack wait and delivery limit of new consumers, nak delay. */
  jetstream?: DurableSettings & {
    /** Delay before a message whose handler failed is redelivered, ms (default 1000). */
    nakDelay?: number;
  };
}

const SENT = Promise.resolve();
// How long a published message the server confirmed is still kept, and sent again after a
// reconnect: a stopping nats-server 2.9 drops what an interest-retention stream (what durable
// subscriptions create) stores after its JetStream shut down and before it closed the sockets
// (~15 ms apart in its log). Measured across restarts at 200 messages/s: 0 lost in 12 with 250 ms
// (~45 duplicates each), 1–3 lost in 5 of 6 without.
const LINGER = 250;

interface Live {
  nc: NatsConnection;
  outbox: Outbox;
}

export class NatsBroker implements Broker {
  readonly name = "nats";
  readonly #servers: string[];
  readonly #options: NatsBrokerOptions;
  readonly #logger: Logger;
  readonly #subs = new Set<NatsSubscription | DurableSubscription>();
  // connected on first use, as go-micro's broker is
  readonly #live: LazyConnection<Live>;

  constructor(options: NatsBrokerOptions = {}) {
    this.#options = options;
    this.#servers = normalizeServers(options.addresses);
    this.#logger = options.logger ?? createLogger();
    this.#live = new LazyConnection(
      async () => {
        const nc = await openNats(this.#servers, options, {
          name: "micro-broker",
          errorId: ERROR_ID,
          what: "nats broker",
        });
        return { nc, outbox: this.#outbox(nc) };
      },
      (live) => live.nc.isClosed(),
    );
  }

  // Published messages are kept while NATS is away and until the server has confirmed them, and
  // sent (again) after a reconnect: publish() resolving means the message will reach the server
  // unless this process ends or the connection is closed first (at-least-once; see the outbox).
  #outbox(nc: NatsConnection): Outbox {
    return new Outbox(nc, {
      confirm: true,
      linger: LINGER,
      reconnectBufferSize: this.#options.reconnectBufferSize,
      errorId: ERROR_ID,
      what: "nats broker",
      onLost: (n, err) =>
        this.#logger.error(`nats broker: ${n} published messages lost: ${(err as Error).message}`),
      onResume: (n, again) =>
        this.#logger.info(
          `nats broker: reconnected, sending ${n} kept messages${again ? ` (${again} sent before but not confirmed: possible duplicates)` : ""}`,
        ),
    });
  }

  /** The server we are connected to, else the first configured one (go-micro's Address()). */
  address(): string {
    const nc = this.#live.current?.nc;
    if (nc) return `nats://${nc.getServer()}`;
    return redact(this.#servers[0]!);
  }

  async connect(): Promise<void> {
    await this.#live.get();
  }

  async disconnect(): Promise<void> {
    const live = this.#live.reset();
    live?.outbox.flush();
    const nc = live?.nc;
    const subs = [...this.#subs];
    this.#subs.clear();
    if (!nc || nc.isClosed()) return;
    // a shared connection stays open, so our subscriptions must end by themselves
    if (nc === this.#options.connection) {
      await Promise.all(subs.map((s) => s.unsubscribe()));
      return;
    }
    // drain: buffered publishes reach the server and delivered messages reach their handlers first
    await nc.drain().catch(() => nc.close());
  }

  // Not async: the common case (connected) returns one shared resolved promise, so a publish
  // allocates nothing but the envelope itself. The message goes through the outbox, which hands
  // the turn's messages to the client together (see @micro/nats-connection's outbox.ts).
  publish(topic: string, message: BrokerMessage, options?: PublishOptions): Promise<void> {
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
    const live = this.#live.current;
    if (live) return this.#send(live.outbox, topic, message);
    // go-micro's client connects its broker lazily on the first publish; so do we
    return this.#live.get().then(({ outbox }) => this.#send(outbox, topic, message));
  }

  #send(outbox: Outbox, topic: string, message: BrokerMessage): Promise<void> {
    try {
      const payload = encodeEnvelopeBytes(message);
      checkPublish(outbox.nc, ERROR_ID, topic, payload);
      // kept while NATS is away or the server has not confirmed it; a full buffer throws a 503
      outbox.push(topic, payload);
      return SENT;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async subscribe(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions = {},
  ): Promise<BrokerSubscription> {
    if (options.durable) return this.#subscribeDurable(topic, handler, options);
    const { nc } = await this.#live.get();
    const sub = new NatsSubscription(nc, topic, options.queue || undefined, handler, this.#logger, (s) =>
      this.#subs.delete(s),
    );
    this.#subs.add(sub);
    // the SUB must reach the server before we report the subscription live, or an immediate publish
    // from another connection could miss it
    await nc.flush();
    return sub;
  }

  async #subscribeDurable(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions,
  ): Promise<BrokerSubscription> {
    const durable = checkDurableName(options.queue);
    const { nc } = await this.#live.get();
    const js = this.#options.jetstream ?? {};
    try {
      const jsm = await jetstreamManager(nc);
      const stream = await ensureStream(jsm, topic);
      await ensureConsumer(jsm, stream, durable, topic, js);
      const sub = await DurableSubscription.start(jetstream(nc), topic, {
        handler,
        logger: this.#logger,
        options: { stream, durable, autoAck: options.autoAck ?? true, nakDelay: js.nakDelay ?? 1000 },
        onGone: (s) => this.#subs.delete(s),
      });
      this.#subs.add(sub);
      return sub;
    } catch (err) {
      if (err instanceof MicroError) throw err;
      throw new MicroError(
        ERROR_ID,
        `nats broker: durable subscription to ${topic} (queue ${durable}): ${(err as Error).message}`,
        503,
        undefined,
        { cause: err },
      );
    }
  }
}
