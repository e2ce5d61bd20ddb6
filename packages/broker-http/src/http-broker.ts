// go-micro's default broker. Subscribers run an HTTP endpoint and advertise each subscription in the
// registry as a node of `micro.http.broker`; publishers look those nodes up and POST a JSON envelope
// to them. No broker server exists: the registry is the only meeting point.
import { randomUUID } from "node:crypto";
import {
  type Broker,
  type BrokerEvent,
  type BrokerHandler,
  type BrokerMessage,
  type BrokerSubscription,
  getLogger,
  type Logger,
  MicroError,
  type Node,
  type PublishOptions,
  type Registry,
  type Service,
  type SubscribeOptions,
  type TLSOptions,
} from "@micro/core";
import { advertiseAddress, joinHostPort, splitHostPort } from "@micro/core/plugin-kit";
import { RegistryCache } from "@micro/registry-cache";
import { Deliveries } from "./delivery.js";
import { DropLog } from "./drop-log.js";
import { encodeEnvelope } from "./envelope.js";
import { BROADCAST_VERSION, BROKER_SERVICE, ERROR_ID, TOPIC_HEADER } from "./names.js";
import { type SubscriberNode, SubscriberRegistrar } from "./registration.js";
import { Sender } from "./sender.js";
import { type BrokerServer, type Dispatched, servesTLS, startBrokerServer } from "./server.js";
import { emptyStats, type HttpBrokerStats } from "./stats.js";

export interface HttpBrokerOptions {
  /** Where subscriptions are advertised and looked up. Required: it is how peers find each other. */
  registry: Registry;
  /** Listener bind address, host:port (default `127.0.0.1:0`, as in go-micro). */
  address?: string | undefined;
  /** With a certificate the listener serves https (nodes registered `secure: "true"`); `ca` and
   * `insecureSkipVerify` also govern how https subscribers are dialed. */
  tls?: TLSOptions | undefined;
  logger?: Logger | undefined;
  /** Largest accepted message envelope in bytes (default 32 MiB). */
  maxBodySize?: number;
  /** ms a subscription stays registered without refresh (default 60 s, as in go-micro). */
  registerTTL?: number;
  /** ms between re-registrations (default 30 s, as in go-micro). */
  registerInterval?: number;
  /** ms the publisher trusts its copy of the subscriber list (default 60 s). */
  cacheTTL?: number;
  /** Background delivery attempts after a failed POST (default 3). */
  retries?: number;
  /** ms a POST may take, handlers included (default 30 s). */
  requestTimeout?: number;
  /**
   * Make `publish()` reject (a MicroError) when no subscriber took the message: none found (404),
   * or every target failed or refused it, retries included and awaited (503). Default false:
   * `publish()` resolves once the message was handed over or retries were scheduled, as go-micro's
   * never fails for a delivery; losses are counted in `stats()` and logged either way.
   */
  requireDelivery?: boolean;
}

export const DEFAULT_MAX_BODY_SIZE = 32 * 1024 * 1024;
// A publish that finds no subscriber asks the registry again, at most this often, so a subscription
// made a moment ago is not missed until the cache TTL runs out.
const MISS_REFRESH = 1000;

interface LocalSubscriber {
  readonly handler: BrokerHandler;
}

interface LocalNode extends SubscriberNode {
  readonly subscribers: Set<LocalSubscriber>;
  /** Round-robin position among the local members of a queue group. */
  next: number;
}

export class HttpBroker implements Broker {
  readonly name = "http";
  /** Part of every node id this broker registers (go-micro: one UUID per broker instance). */
  readonly id = randomUUID();
  readonly #bind: { host: string; port: number };
  readonly #tls: TLSOptions | undefined;
  readonly #logger: Logger;
  readonly #maxBodySize: number;
  readonly #registrar: SubscriberRegistrar;
  // subscriber lookups on every publish are served from this copy, as go-micro's http broker does
  readonly #cache: RegistryCache;
  readonly #sender: Sender;
  readonly #deliveries: Deliveries;
  readonly #stats = emptyStats();
  readonly #drops: DropLog;
  readonly #requireDelivery: boolean;
  readonly #nodes = new Map<string, LocalNode>();
  readonly #groupIds = new Map<string, string>();
  #server: BrokerServer | undefined;
  #connecting: Promise<void> | undefined;

  constructor(options: HttpBrokerOptions) {
    if (!options?.registry) {
      throw new TypeError("HttpBroker needs a registry: subscribers are advertised and found through it");
    }
    this.#bind = splitHostPort(options.address || "127.0.0.1:0");
    this.#tls = options.tls;
    this.#logger = options.logger ?? getLogger();
    this.#maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE;
    this.#registrar = new SubscriberRegistrar(options.registry, {
      ttl: options.registerTTL ?? 60_000,
      interval: options.registerInterval ?? 30_000,
      logger: this.#logger,
    });
    const cacheTTL = options.cacheTTL ?? 60_000;
    this.#cache = new RegistryCache(options.registry, {
      ttl: cacheTTL,
      // "no subscriber at all" is kept like any answer: a publish that finds none asks again after MISS_REFRESH
      notFoundTTL: cacheTTL,
      logger: this.#logger,
      name: "http broker",
    });
    this.#sender = new Sender({
      tls: options.tls,
      timeout: options.requestTimeout ?? 30_000,
      maxSockets: 32,
    });
    this.#drops = new DropLog(this.#logger);
    this.#requireDelivery = options.requireDelivery ?? false;
    this.#deliveries = new Deliveries(this.#sender, {
      retries: options.retries ?? 3,
      backoff: 100,
      dropAfter: 3,
      quarantine: 10_000,
      logger: this.#logger,
      stats: this.#stats,
      drops: this.#drops,
    });
  }

  /** What this broker's publications became so far: a copy of the counters (see HttpBrokerStats). */
  stats(): HttpBrokerStats {
    return { ...this.#stats };
  }

  /** The advertised host:port of the listener once connected; the configured bind address before. */
  address(): string {
    if (this.#server) return advertiseAddress(joinHostPort(this.#server.host, this.#server.port));
    return joinHostPort(this.#bind.host, this.#bind.port);
  }

  async connect(): Promise<void> {
    if (this.#server) return;
    this.#connecting ??= this.#start().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #start(): Promise<void> {
    const server = await startBrokerServer({
      host: this.#bind.host,
      port: this.#bind.port,
      tls: servesTLS(this.#tls) ? this.#tls : undefined,
      maxBodySize: this.#maxBodySize,
      dispatch: (id, topic, message) => this.#dispatch(id, topic, message),
      logger: this.#logger,
    });
    try {
      await this.#registrar.attach(
        { address: advertiseAddress(joinHostPort(server.host, server.port)), secure: server.secure },
        this.#nodes.values(),
      );
    } catch (err) {
      await this.#registrar.detach();
      await server.close();
      throw err;
    }
    this.#server = server;
    // connected only to publish (go-micro's client connects on its first publish): a finished script ends
    server.hold(this.#nodes.size > 0);
  }

  /** Deregisters every subscription and stops the listener. Subscriptions are kept: a later
   * `connect()` advertises them again on the new listener. */
  async disconnect(): Promise<void> {
    await this.#connecting?.catch(() => {});
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#deliveries.cancel();
    this.#drops.close();
    // deregister before closing, so publishers stop choosing us before the port goes away
    await this.#registrar.detach();
    await server.close();
    this.#cache.close();
    this.#sender.close();
  }

  async publish(topic: string, message: BrokerMessage, options: PublishOptions = {}): Promise<void> {
    options.signal?.throwIfAborted();
    const envelope = encodeEnvelope({
      header: { ...message.header, [TOPIC_HEADER]: topic },
      body: message.body,
    });
    const body = Buffer.from(envelope, "utf8");
    let targets = select(await this.#cache.get(BROKER_SERVICE), topic);
    if (targets.length === 0) targets = select(await this.#cache.get(BROKER_SERVICE, MISS_REFRESH), topic);
    this.#stats.published++;
    if (targets.length === 0) {
      this.#stats.unrouted++;
      if (this.#requireDelivery) throw MicroError.notFound(ERROR_ID, `publish ${topic}: no subscriber`);
      return;
    }
    if (!this.#requireDelivery) {
      await Promise.all(
        targets.map((candidates) => this.#deliveries.deliver(topic, candidates, body, options.signal)),
      );
      return;
    }
    const missed = await Promise.all(
      targets.map((candidates) => this.#deliveries.deliverNow(topic, candidates, body, options.signal)),
    );
    // taken by at least one subscriber: the ones that missed it are counted and logged as dropped
    if (missed.some((why) => why === undefined)) return;
    throw MicroError.unavailable(
      ERROR_ID,
      `publish ${topic}: no subscriber took the message (${missed.join("; ")})`,
    );
  }

  async subscribe(
    topic: string,
    handler: BrokerHandler,
    options: SubscribeOptions = {},
  ): Promise<BrokerSubscription> {
    if (!topic) throw new TypeError("subscribe: topic is required");
    if (typeof handler !== "function") throw new TypeError("subscribe: handler must be a function");
    const queue = options.queue || undefined;
    const id = `${topic}-${queue === undefined ? this.id : this.#groupId(queue)}`;
    const subscriber: LocalSubscriber = { handler };
    let node = this.#nodes.get(id);
    if (node) {
      node.subscribers.add(subscriber);
    } else {
      node = { id, topic, queue, subscribers: new Set([subscriber]), next: 0 };
      this.#nodes.set(id, node);
      this.#server?.hold(true);
      try {
        await this.#registrar.add(node);
      } catch (err) {
        this.#nodes.delete(id);
        this.#server?.hold(this.#nodes.size > 0);
        throw err;
      }
    }
    const owner = node;
    let active = true;
    return {
      topic,
      ...(queue === undefined ? {} : { queue }),
      unsubscribe: async () => {
        if (!active) return;
        active = false;
        owner.subscribers.delete(subscriber);
        if (owner.subscribers.size > 0 || this.#nodes.get(id) !== owner) return;
        this.#nodes.delete(id);
        this.#server?.hold(this.#nodes.size > 0);
        await this.#registrar.remove(owner);
      },
    };
  }

  // go-micro derives every node id from one broker UUID, so a broadcast and a queue subscription of
  // one topic in one process would share a node id: registries keyed by node id then keep only one of
  // them, and the subscriber could not tell which version a POST was meant for. A UUID per queue
  // group keeps the `<topic>-<uuid>` shape (all a Go publisher relies on) and makes ids unique.
  #groupId(queue: string): string {
    let gid = this.#groupIds.get(queue);
    if (!gid) {
      gid = randomUUID();
      this.#groupIds.set(queue, gid);
    }
    return gid;
  }

  async #dispatch(id: string, topic: string, message: BrokerMessage): Promise<Dispatched> {
    const node = this.#nodes.get(id);
    if (!node || node.topic !== topic || node.subscribers.size === 0) return "unknown";
    const all = [...node.subscribers];
    // One POST reaches a queue group once; within this process it goes to one of its local members.
    const chosen = node.queue === undefined ? all : [all[node.next++ % all.length]!];
    const ok = await Promise.all(chosen.map((s) => this.#run(s, topic, message, chosen.length > 1)));
    return ok.every(Boolean) ? "taken" : "failed";
  }

  async #run(
    subscriber: LocalSubscriber,
    topic: string,
    message: BrokerMessage,
    copy: boolean,
  ): Promise<boolean> {
    const event: BrokerEvent = {
      topic,
      // handlers sharing one inbound message each get their own copy to mutate
      message: copy ? { header: { ...message.header }, body: new Uint8Array(message.body) } : message,
      // nothing to acknowledge: the POST is answered once the handlers ran, whatever they did
      ack: async () => {},
    };
    try {
      await subscriber.handler(event);
      return true;
    } catch (err) {
      this.#logger.error(`http broker: subscriber of ${topic} failed`, err);
      return false;
    }
  }
}

/** The delivery targets of `topic`: each broadcast node alone, each queue group as its members. */
function select(services: readonly Service[], topic: string): Node[][] {
  const targets: Node[][] = [];
  for (const service of services) {
    const nodes = service.nodes.filter((n) => n.metadata?.broker === "http" && n.metadata?.topic === topic);
    if (nodes.length === 0) continue;
    if (service.version === BROADCAST_VERSION) for (const n of nodes) targets.push([n]);
    else targets.push(nodes);
  }
  return targets;
}
