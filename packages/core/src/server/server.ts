// The RPC server: serves handlers over a transport, subscribes to the broker, registers itself with
// TTL and re-registration, and on stop deregisters before it stops listening, then drains.
import { randomUUID } from "node:crypto";
import type { Broker, BrokerSubscription } from "../broker.js";
import { exponentialBackoff, sleep } from "../client/backoff.js";
import { NODE_MARKER } from "../client/stream.js";
import type { Context } from "../context.js";
import { MicroError } from "../errors.js";
import { advertiseAddress } from "../kit/addr.js";
import { type Logger, logWith, withFields } from "../logger.js";
import { Metadata } from "../metadata.js";
import { findCodec, missingContentType, resolveCodec } from "../plugin/codecs.js";
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";
import type { Endpoint, Registry, Service } from "../registry.js";
import type { Listener, Transport } from "../transport.js";
import { canMux, MUX_MARKER } from "../transport-fast.js";
import { Connection, type ConnectionHost } from "./connection.js";
import { subscriberEndpoint, subscriberName } from "./endpoints.js";
import { type Route, Router } from "./router.js";
import type {
  HandlerFunc,
  HandlerOptions,
  HandlerWrapper,
  SubscriberFunc,
  SubscriberOptions,
  SubscriberWrapper,
} from "./types.js";

export interface ServerOptions {
  name: string;
  version?: string;
  /** Unique per process; the node id is `<name>-<id>`. */
  id?: string;
  /** Bind address (default `:0`: every interface, random port). */
  address?: string;
  /** Address to put in the registry instead of the bound one. */
  advertise?: string;
  metadata?: Record<string, string>;
  /** Registration TTL in ms (the service passes --register_ttl). */
  registerTtl: number;
  /** Re-registration interval in ms (--register_interval). */
  registerInterval: number;
  /** How long stop() waits for in-flight requests, in ms (default 30 s). */
  drainTimeout?: number;
  transport: Transport;
  registry: Registry;
  broker?: Broker;
  wrapHandler?: HandlerWrapper[];
  wrapSubscriber?: SubscriberWrapper[];
  /** Unexpected handler errors reach the caller as a generic 500 naming the request (--server_hide_errors). */
  hideErrors?: boolean;
  logger: Logger;
  /**
   * Where the listener comes from (default: the transport's `listen`). The primary of a service
   * served by workers passes its worker pool: the workers listen, the primary registers their address.
   */
  listen?: (address: string) => Promise<Listener>;
  /**
   * This server is one worker of a service served by several processes: it serves calls and
   * registers nothing. Its primary subscribes to the broker for the node, so that each message is
   * handled once per node as with one process (N workers subscribing would get N copies of a
   * broadcast); only a process-local broker (memory) is subscribed in every process, since each
   * process sees only the messages it publishes itself.
   */
  worker?: boolean;
}

interface Subscription {
  topic: string;
  fn: SubscriberFunc;
  options: SubscriberOptions;
  endpoint: Endpoint;
  handle?: BrokerSubscription;
}

export class RpcServer implements ConnectionHost {
  readonly name: string;
  readonly version: string;
  readonly id: string;
  readonly logger: Logger;
  readonly #router = new Router();
  readonly #wrapped = new Map<string, { route: Route; fn: HandlerFunc }>();
  readonly #subs: Subscription[] = [];
  readonly #shutdown = new AbortController();
  #listener: Listener | undefined;
  #registrar: NodeJS.Timeout | undefined;
  #inflight = 0;
  #drained: (() => void) | undefined;
  #started = false;
  #registered: Service | undefined;
  #brokerConnected = false;
  readonly #connections = new Set<Connection>();

  constructor(readonly options: ServerOptions) {
    this.name = options.name;
    this.version = options.version || "latest";
    this.id = options.id ?? randomUUID();
    this.logger = withFields(options.logger, { node: `${this.name}-${this.id}` });
  }

  get shutdown(): AbortSignal {
    return this.#shutdown.signal;
  }

  get hideErrors(): boolean {
    return this.options.hideErrors === true;
  }

  get started(): boolean {
    return this.#started;
  }

  /** The bound address (after start). */
  address(): string {
    if (!this.#listener) throw new PluginError(MicroErrorCode.ServiceState, "server not started");
    return this.#listener.addr();
  }

  handle(name: string, impl: object, options?: HandlerOptions): void {
    const routes = this.#router.add(name, impl, options);
    const wrappers = this.options.wrapHandler ?? [];
    for (const route of routes) {
      this.#wrapped.set(route.name, {
        route,
        fn: wrappers.reduceRight<HandlerFunc>((fn, w) => w(fn), route.fn),
      });
    }
    if (this.#started && !this.options.worker) void this.register().catch(() => {});
  }

  subscribe<T = unknown>(topic: string, fn: SubscriberFunc<T>, options: SubscriberOptions = {}): void {
    if (!this.options.broker) throw new PluginError(MicroErrorCode.ServiceState, "subscribe needs a broker");
    const wrappers = this.options.wrapSubscriber ?? [];
    const wrapped = wrappers.reduceRight<SubscriberFunc>((f, w) => w(f), fn as SubscriberFunc);
    const name = subscriberName(fn.name, topic);
    const sub: Subscription = {
      topic,
      fn: wrapped,
      options,
      endpoint: subscriberEndpoint(name, topic, options.messageType),
    };
    this.#subs.push(sub);
    if (this.#started && this.#subscribesHere())
      void this.#brokerSubscribe(sub).catch((err) => this.logger.error(`subscribe ${topic}: ${err}`));
  }

  /** Whether this process subscribes to the broker (see `ServerOptions.worker`). */
  #subscribesHere(): boolean {
    return !this.options.worker || this.options.broker?.processLocal === true;
  }

  route(endpoint: string): { route: Route; fn: HandlerFunc } | undefined {
    return this.#wrapped.get(endpoint);
  }

  hasHandler(name: string): boolean {
    const prefix = `${name}.`;
    for (const endpoint of this.#wrapped.keys()) if (endpoint.startsWith(prefix)) return true;
    return false;
  }

  track(delta: 1 | -1): void {
    this.#inflight += delta;
    if (this.#inflight === 0 && this.#drained) this.#drained();
  }

  get inflight(): number {
    return this.#inflight;
  }

  endpoints(): Endpoint[] {
    const subs = this.#subs
      .filter((s) => !s.options.internal)
      .sort((a, b) => (a.topic < b.topic ? 1 : a.topic > b.topic ? -1 : 0))
      .map((s) => s.endpoint);
    return [...this.#router.endpoints(), ...subs];
  }

  /** The registry record of this node, as go-micro writes it. */
  service(): Service {
    const o = this.options;
    return {
      name: this.name,
      version: this.version,
      endpoints: this.endpoints(),
      nodes: [
        {
          id: `${this.name}-${this.id}`,
          address: o.advertise ?? advertiseAddress(this.address()),
          metadata: {
            ...(o.metadata ?? {}),
            transport: o.transport.name,
            broker: o.broker?.name ?? "none",
            server: "mucp",
            registry: o.registry.name,
            protocol: "mucp",
            // ours, not go-micro's: tells our clients this node ends a half-closed stream with EOS
            [NODE_MARKER]: "1",
            // our clients may carry many calls on one connection to this node (go-micro's ignore it)
            ...(canMux(o.transport) ? { [MUX_MARKER]: "1" } : {}),
          },
        },
      ],
    };
  }

  async start(): Promise<void> {
    if (this.#started) throw new PluginError(MicroErrorCode.ServiceState, `${this.name} already started`);
    const o = this.options;
    const address = o.address ?? ":0";
    this.#listener = await (o.listen ? o.listen(address) : o.transport.listen(address));
    this.#listener.accept((socket) => {
      const conn = new Connection(this, socket);
      this.#connections.add(conn);
      void conn.serve().finally(() => this.#connections.delete(conn));
    });
    try {
      if (o.broker && this.#subscribesHere()) {
        await o.broker.connect();
        this.#brokerConnected = true;
        for (const sub of this.#subs) await this.#brokerSubscribe(sub);
      }
      this.#started = true;
      if (!o.worker) await this.#registerWithRetry();
    } catch (err) {
      this.#started = false;
      await this.#listener.close().catch(() => {});
      this.#listener = undefined;
      throw err;
    }
    const interval = o.registerInterval;
    if (interval > 0 && !o.worker) {
      this.#registrar = setInterval(() => {
        this.register().then(
          () => this.logger.debug(`re-registered ${this.name} in ${o.registry.name}`),
          (err) => this.logger.warn(`re-registering ${this.name}: ${reason(err)}`),
        );
      }, interval);
      this.#registrar.unref();
    }
    this.logger.info(
      `${this.name} listening on ${this.address()} (transport ${o.transport.name}, registry ${o.registry.name})`,
    );
    logWith(this.logger, "debug", "serving", {
      endpoints: this.endpoints().map((e) => e.name),
      ttl_ms: o.registerTtl,
      interval_ms: o.registerInterval,
    });
  }

  async register(): Promise<void> {
    const svc = this.service();
    await this.options.registry.register(svc, { ttl: this.options.registerTtl });
    this.#registered = svc;
  }

  async #registerWithRetry(): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      await sleep(exponentialBackoff(attempt));
      try {
        await this.register();
        this.logger.info(
          `registered ${this.name} node ${this.name}-${this.id} in ${this.options.registry.name}`,
        );
        return;
      } catch (err) {
        last = err;
        // the last failure is the caller's to report (one line); the ones before are retried
        if (attempt < 2)
          this.logger.warn(`registering ${this.name} (attempt ${attempt + 1}/3): ${reason(err)}`);
      }
    }
    throw last;
  }

  async #brokerSubscribe(sub: Subscription): Promise<void> {
    const broker = this.options.broker!;
    const autoAck = sub.options.autoAck ?? true;
    sub.handle = await broker.subscribe(
      sub.topic,
      async (event) => {
        const ctx = this.#eventContext(sub.topic, event.message.header);
        await this.#deliver(sub, ctx, event.message.header, event.message.body);
      },
      { queue: sub.options.queue, autoAck, durable: sub.options.durable },
    );
  }

  #eventContext(topic: string, header: Record<string, string>): Context {
    return {
      service: this.name,
      endpoint: topic,
      metadata: new Metadata(header),
      signal: this.#shutdown.signal,
      logger: this.logger,
    };
  }

  async #deliver(
    sub: Subscription,
    ctx: Context,
    header: Record<string, string>,
    body: Uint8Array,
  ): Promise<void> {
    const ct = header["Content-Type"] || header["content-type"] || (await missingContentType("event"));
    const codec = findCodec(ct) ?? (await resolveCodec(ct, "go.micro.server"));
    let msg: unknown;
    try {
      msg = codec.unmarshal(body, sub.options.messageType);
    } catch (err) {
      throw MicroError.badRequest(
        "go.micro.server",
        `subscriber error: cannot decode ${ct} event on ${sub.topic}: ${reason(err)}`,
      );
    }
    try {
      await sub.fn(ctx, msg);
    } catch (err) {
      throw MicroError.internal("go.micro.server", `subscriber error: ${reason(err)}`);
    }
  }

  /** An event that arrived over the transport with `Micro-Topic` (go-micro's server/rpc_events.go). */
  async dispatchEvent(topic: string, header: Record<string, string>, body: Uint8Array): Promise<void> {
    const subs = this.#subs.filter((s) => s.topic === topic);
    const ctx = this.#eventContext(topic, header);
    for (const s of subs) await this.#deliver(s, ctx, header, body);
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    clearInterval(this.#registrar);
    const o = this.options;
    if (this.#registered) {
      await o.registry
        .deregister(this.#registered)
        .catch((err) => this.logger.warn(`deregistering: ${reason(err)}`));
    }
    for (const sub of this.#subs) {
      await sub.handle
        ?.unsubscribe()
        .catch((err) => this.logger.warn(`unsubscribing ${sub.topic}: ${reason(err)}`));
      sub.handle = undefined;
    }
    await this.#listener?.close();
    if (this.#inflight > 0) {
      const drained = new Promise<void>((resolve) => {
        this.#drained = resolve;
      });
      const timeout = o.drainTimeout ?? 30_000;
      let t: NodeJS.Timeout | undefined;
      await Promise.race([drained, new Promise<void>((r) => (t = setTimeout(r, timeout)))]);
      clearTimeout(t);
      if (this.#inflight > 0)
        this.logger.warn(`${this.#inflight} requests still running after ${timeout} ms`);
    }
    this.#shutdown.abort(new MicroError("go.micro.server", "server stopped", 503));
    await Promise.all([...this.#connections].map((c) => c.close()));
    if (this.#brokerConnected) await o.broker?.disconnect().catch(() => {});
    this.#brokerConnected = false;
    this.logger.info(`${this.name} stopped`);
  }
}

function reason(err: unknown): string {
  return err instanceof MicroError ? err.detail : err instanceof Error ? err.message : String(err);
}
