// go-micro's NATS registry: there is no store. Each process keeps its own services, answers
// queries for them on `micro.nats.query`, and announces changes on `micro.nats.watch`; a lookup
// asks everyone and collects the answers for a short time. Go services on the same NATS see our
// services and we see theirs.
//
// At scale (issue 19): a process answers every query through one subscription, whatever the number
// of services it holds (Go subscribes once per service, so one query reaches a Go process once per
// service it holds); the answers are encoded once per change, not per query; a `list` is answered
// without endpoint schemas (Go's ListServices reads only names and versions) and lists versions
// and nodes without them;
// and it collects while answers keep coming, not only for the fixed window, up to a bound past which
// it fails with a clear error instead of returning a silently incomplete list.
import {
  getLogger,
  type Logger,
  MicroError,
  type RegisterOptions,
  type Registry,
  type RegistryEvent,
  type Service,
  type TLSOptions,
  type Watcher,
  type WatchOptions,
} from "@micro/core";
import { AsyncQueue, mergeByVersion, parseService, queueWatcher } from "@micro/core/plugin-kit";
import { LazyConnection, normalizeServers, Outbox, openNats, redact } from "@micro/nats-connection";
import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import { encodeEvent, encodeGetQuery, encodeListQuery, parseEnvelope } from "./envelope.js";
import { LocalServices } from "./local-services.js";
import { ERROR_ID } from "./names.js";
import { isStatusReply } from "./status-reply.js";

export interface NatsRegistryOptions {
  /** NATS servers (default nats://127.0.0.1:4222; `nats://` is added when missing). */
  addresses?: string[];
  tls?: TLSOptions;
  /** How long a lookup collects answers, in ms (default 100, go-micro's). */
  timeout?: number;
  /**
   * listServices keeps collecting past `timeout` while answers still arrive (one per service and
   * version, from every process), until none came for `timeout / 2`; if they are still arriving
   * after this many ms it fails rather than return an incomplete list (default 10 x timeout, at
   * least 2 s).
   */
  listTimeout?: number;
  /** Finish a lookup early once one version has this many nodes (default 0: wait the timeout). */
  quorum?: number;
  /** Query subject (default micro.nats.query). */
  queryTopic?: string;
  /** Watch subject (default micro.nats.watch). */
  watchTopic?: string;
  /** Action announced on registration (default "create", as go-micro). */
  registerAction?: "create" | "update";
  /** Connection attempts before the first operation fails when NATS is down (default 3). */
  connectAttempts?: number;
  /** Handshake timeout of one connection attempt, in ms (default 5000). */
  connectTimeout?: number;
  /** Use this connection instead of opening one; it is not closed by close(). */
  connection?: NatsConnection;
  /**
   * Bytes of announcements and answers kept while NATS is away, sent once reconnected (default 8 MiB,
   * Go's ReconnectBufSize); 0 keeps nothing.
   */
  reconnectBufferSize?: number;
  logger?: Logger;
}

interface Live {
  nc: NatsConnection;
  outbox: Outbox;
}

const ACTIONS = new Set(["create", "update", "delete"]);

export class NatsRegistry implements Registry {
  readonly name = "nats";
  readonly servers: readonly string[];
  readonly #options: NatsRegistryOptions;
  readonly #logger: Logger;
  readonly #queryTopic: string;
  readonly #watchTopic: string;
  readonly #timeout: number;
  readonly #listTimeout: number;
  readonly #local = new LocalServices();
  // One subscription answers queries for every service this process holds (Go has one per service
  // name: the answers are the same, but each query then reaches the process once per service).
  #responder: Subscription | undefined;
  // names whose answer is over the server's max_payload, already reported
  readonly #tooLarge = new Set<string>();
  readonly #expiry = new Map<string, NodeJS.Timeout>();
  readonly #watchers = new Set<Watcher>();
  // Connected on first use (as go-micro does), not in the constructor: creating a registry must not
  // fail or leave sockets behind when it is never used. A connection given in the options is used
  // even once closed: its owner decides.
  readonly #conn: LazyConnection<Live>;
  #connected = false;
  #closed = false;

  constructor(options: NatsRegistryOptions = {}) {
    this.#options = options;
    this.#logger = options.logger ?? getLogger();
    this.servers = normalizeServers(options.addresses);
    this.#queryTopic = options.queryTopic ?? "micro.nats.query";
    this.#watchTopic = options.watchTopic ?? "micro.nats.watch";
    this.#timeout = options.timeout ?? 100;
    this.#listTimeout = options.listTimeout ?? Math.max(2_000, 10 * this.#timeout);
    this.#conn = new LazyConnection(
      async () => {
        const nc = await openNats(this.servers, options, {
          name: "micro-registry",
          errorId: ERROR_ID,
          what: "nats registry",
          timeout: 5000,
        });
        this.#connected = true;
        void this.#followStatus(nc);
        return { nc, outbox: this.#outbox(nc) };
      },
      (live) => live.nc.isClosed() && live.nc !== options.connection,
    );
  }

  // Announcements and answers are kept while NATS is away and until the server has confirmed them,
  // and sent (again) after a reconnect: a registration made during an outage is announced once NATS
  // is back (the client alone would drop it when it dials again). Duplicates are harmless here.
  #outbox(nc: NatsConnection): Outbox {
    return new Outbox(nc, {
      confirm: true,
      reconnectBufferSize: this.#options.reconnectBufferSize,
      errorId: ERROR_ID,
      what: "nats registry",
      onLost: (n, err) =>
        this.#logger.warn(`nats registry: ${n} announcements not sent: ${(err as Error).message}`),
    });
  }

  #connection(): Promise<Live> {
    if (this.#closed) return Promise.reject(new Error("nats registry: closed"));
    return this.#conn.get();
  }

  async #followStatus(nc: NatsConnection): Promise<void> {
    void nc.closed().then(() => {
      this.#connected = false;
    });
    for await (const s of nc.status()) {
      if (s.type === "disconnect") {
        this.#connected = false;
        this.#logger.warn(`nats registry: disconnected from ${redact(String(s.server))}; reconnecting`);
      } else if (s.type === "reconnect") {
        this.#connected = true;
        this.#logger.info(`nats registry: reconnected to ${redact(String(s.server))}`);
      }
    }
  }

  async register(service: Service, options: RegisterOptions = {}): Promise<void> {
    if (!service.name) throw new TypeError("register: service name is required");
    const { nc, outbox } = await this.#connection();
    // Go's Publish fails the same way (nats.ErrMaxPayload): one event carries the whole record
    const created = encoder.encode(encodeEvent(this.#options.registerAction ?? "create", service));
    this.#checkSize(nc, created.byteLength, `registering ${service.name}`);
    const change = this.#local.add(service);
    this.#respond(nc, outbox);
    this.#scheduleExpiry(service, options.ttl);
    const event = change === "updated" ? encoder.encode(encodeEvent("update", service)) : created;
    // While NATS is away the outbox keeps this and sends it on reconnect, as Go's client does.
    outbox.push(this.#watchTopic, event);
    // once register() resolves, queries must find us: wait until the server has the subscription
    if (this.#connected) await nc.flush().catch(() => {});
  }

  async deregister(service: Service): Promise<void> {
    const ids = (service.nodes ?? []).map((n) => n.id);
    for (const id of ids) this.#clearExpiry(service.name, service.version, id);
    this.#local.remove(service.name, service.version, ids);
    this.#dropResponderIfUnused();
    const { outbox } = await this.#connection();
    outbox.push(this.#watchTopic, encoder.encode(encodeEvent("delete", service)));
  }

  #respond(nc: NatsConnection, outbox: Outbox): void {
    if (this.#responder) return;
    this.#responder = nc.subscribe(this.#queryTopic, {
      callback: (err, msg) => {
        if (err || !msg.reply) return;
        let action: string;
        let asked: string | undefined;
        try {
          const env = parseEnvelope(msg.string());
          action = env.action;
          asked = env.service?.name;
        } catch {
          return; // not a query we understand; Go ignores it too
        }
        // as in Go: one message per service version, to the query's reply subject
        if (action === "list") {
          for (const name of this.#local.names) this.#answer(nc, outbox, msg.reply, name, "listed");
        } else if (action === "get" && asked !== undefined && this.#local.has(asked)) {
          this.#answer(nc, outbox, msg.reply, asked, "full");
        }
      },
    });
  }

  #answer(nc: NatsConnection, outbox: Outbox, reply: string, name: string, form: "full" | "listed"): void {
    const answers = this.#local.answers(name);
    if (!answers) return;
    const max = nc.info?.max_payload;
    for (const data of answers[form]) {
      if (max !== undefined && data.byteLength > max) {
        // go-micro answers one service version (all its nodes) per message: no smaller form exists
        if (!this.#tooLarge.has(name)) {
          this.#tooLarge.add(name);
          this.#logger.error(
            `nats registry: cannot answer for ${name}: its record is ${data.byteLength} bytes, over the NATS server's max_payload (${max})`,
          );
        }
        continue;
      }
      outbox.push(reply, data);
    }
  }

  #checkSize(nc: NatsConnection, size: number, what: string): void {
    const max = nc.info?.max_payload;
    if (max !== undefined && size > max)
      throw MicroError.badRequest(
        ERROR_ID,
        `nats registry: ${what}: the record is ${size} bytes, over the NATS server's max_payload (${max})`,
      );
  }

  #dropResponderIfUnused(): void {
    if (this.#local.size) return;
    this.#responder?.unsubscribe();
    this.#responder = undefined;
  }

  // go-micro's NATS registry ignores TTLs. We honour them for our own nodes: a node that is not
  // re-registered within its TTL stops being answered for and is announced as deleted, so a
  // process whose registration loop is stuck does not stay discoverable forever.
  #scheduleExpiry(service: Service, ttl: number | undefined): void {
    for (const node of service.nodes) {
      this.#clearExpiry(service.name, service.version, node.id);
      if (!ttl || ttl <= 0) continue;
      const key = expiryKey(service.name, service.version, node.id);
      const timer = setTimeout(() => this.#expire(service.name, service.version, node.id), ttl);
      timer.unref();
      this.#expiry.set(key, timer);
    }
  }

  #clearExpiry(name: string, version: string, id: string): void {
    const key = expiryKey(name, version, id);
    clearTimeout(this.#expiry.get(key));
    this.#expiry.delete(key);
  }

  #expire(name: string, version: string, id: string): void {
    this.#expiry.delete(expiryKey(name, version, id));
    const record = this.#local.get(name).find((s) => s.version === version);
    const removed = this.#local.remove(name, version, [id]);
    this.#dropResponderIfUnused();
    if (!record || !removed.length || this.#closed) return;
    this.#logger.debug(`nats registry: ${name} node ${id} expired (not re-registered within its TTL)`);
    this.#connection()
      .then(({ outbox }) =>
        outbox.push(this.#watchTopic, encoder.encode(encodeEvent("delete", { ...record, nodes: removed }))),
      )
      .catch((err: unknown) =>
        this.#logger.warn(
          `nats registry: expiry of ${name} node ${id} not announced: ${(err as Error).message}`,
        ),
      );
  }

  async getService(name: string): Promise<Service[]> {
    const quorum = this.#options.quorum ?? 0;
    const got: Service[] = [];
    await this.#query(encodeGetQuery(name), false, (msg) => {
      try {
        got.push(parseService(msg.string()));
      } catch (e) {
        this.#logger.warn(`nats registry: skipping malformed reply: ${(e as Error).message}`);
        return false;
      }
      return quorum > 0 ? mergeByVersion(got).some((s) => s.nodes.length >= quorum) : false;
    });
    return mergeByVersion(got.filter((s) => s.name === name));
  }

  /**
   * One entry per service version with its nodes, from the list answers, which carry no endpoint
   * schemas (go-micro's keeps names and versions): `micro services` needs no lookup per name, and
   * getService describes a service.
   */
  async listServices(): Promise<Service[]> {
    const got: Service[] = [];
    let malformed = 0;
    await this.#query(encodeListQuery(), true, (msg) => {
      try {
        got.push(parseService(msg.string()));
      } catch {
        malformed++;
      }
      return false;
    });
    if (malformed) this.#logger.warn(`nats registry: skipped ${malformed} malformed list answers`);
    // endpoints are left out: a Go node answers a list with them, but a list never carries them
    return mergeByVersion(got, { copy: false })
      .map((s) => ({ ...s, endpoints: [] }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
  }

  // Publishes a query with a fresh inbox as reply subject and hands every answer to `onReply` for
  // the timeout (or until it returns true). With `untilQuiet` (a list) it goes on while answers still
  // arrive, until none came for half the timeout, and fails once they still arrive at listTimeout.
  async #query(payload: string, untilQuiet: boolean, onReply: (msg: Msg) => boolean): Promise<void> {
    const { nc } = await this.#connection();
    if (!this.#connected) {
      // Nobody can answer now; an error (not an empty answer) lets caches serve what they have.
      throw new MicroError(
        ERROR_ID,
        `nats registry: not connected to nats at ${this.servers.map(redact).join(", ")} (reconnecting)`,
        503,
      );
    }
    let done: (err?: Error) => void = () => {};
    const finished = new Promise<void>((resolve, reject) => {
      done = (err) => (err ? reject(err) : resolve());
    });
    const started = performance.now();
    let last = 0; // when the latest answer came
    let answers = 0;
    const sub = nc.subscribe(createInbox(), {
      callback: (err, msg) => {
        if (err) return;
        // "no responders": nobody subscribes to the query subject, so no answer will come
        if (isStatusReply(msg)) return done();
        answers++;
        last = performance.now();
        if (onReply(msg)) done();
      },
    });
    const quiet = this.#timeout / 2;
    let timer: NodeJS.Timeout | undefined;
    const check = () => {
      const now = performance.now();
      if (!untilQuiet) return done();
      if (now - last >= quiet) {
        // Timers run before the socket is read: after a stall of this process, answers may be
        // waiting unread. Decide after the next read (setImmediate runs after the I/O phase).
        setImmediate(() => (performance.now() - last >= quiet ? done() : check()));
        return;
      }
      if (now - started >= this.#listTimeout)
        return done(
          new MicroError(
            ERROR_ID,
            `nats registry: listServices: answers still arriving after ${this.#listTimeout} ms (${answers} so far); the list would be incomplete (raise listTimeout)`,
            500,
          ),
        );
      timer = setTimeout(check, Math.min(last + quiet - now, started + this.#listTimeout - now) + 1);
    };
    timer = setTimeout(check, this.#timeout);
    try {
      // straight to the client, not the outbox: a query is worth nothing after its timeout, so it is
      // not kept for a reconnect
      nc.publish(this.#queryTopic, payload, { reply: sub.getSubject() });
      await finished;
    } finally {
      clearTimeout(timer);
      sub.unsubscribe();
    }
  }

  watch(options: WatchOptions = {}): Watcher {
    const queue = new AsyncQueue<RegistryEvent>();
    let sub: Subscription | undefined;
    let stopped = false;
    const watcher = queueWatcher(queue, () => {
      stopped = true;
      sub?.unsubscribe();
      this.#watchers.delete(watcher);
    });
    this.#watchers.add(watcher);
    this.#connection().then(
      ({ nc }) => {
        if (stopped) return;
        sub = nc.subscribe(this.#watchTopic, {
          callback: (err, msg) => {
            if (err) return queue.fail(err);
            let event: RegistryEvent;
            try {
              const env = parseEnvelope(msg.string());
              if (!env.service || !ACTIONS.has(env.action)) return;
              event = { action: env.action as RegistryEvent["action"], service: env.service };
            } catch (e) {
              this.#logger.warn(`nats registry: skipping malformed watch event: ${(e as Error).message}`);
              return;
            }
            if (!options.service || event.service.name === options.service) queue.push(event);
          },
        });
      },
      (err: unknown) => queue.fail(err),
    );
    return watcher;
  }

  /** Stops watchers, responders and expiry timers; closes the connection this registry opened. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of [...this.#watchers]) w.stop();
    for (const t of this.#expiry.values()) clearTimeout(t);
    this.#expiry.clear();
    this.#responder?.unsubscribe();
    this.#responder = undefined;
    const live = await this.#conn.release();
    live?.outbox.flush();
    const nc = live?.nc;
    if (!nc || nc === this.#options.connection || nc.isClosed()) return;
    // drain delivers what is still buffered (a last deregistration) before closing
    await (this.#connected ? nc.drain() : nc.close()).catch(() => nc.close().catch(() => {}));
  }
}

const encoder = new TextEncoder();

const expiryKey = (name: string, version: string, id: string) => `${name}\u0000${version}\u0000${id}`;
