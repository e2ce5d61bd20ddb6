// A service ties a server, a client and the plugins together, with go-micro's lifecycle:
// flags/env -> start (listen, connect broker, register) -> wait for a signal -> stop (deregister,
// stop listening, drain) -> hooks. With `workers` > 1 the same program runs in several processes
// (workers/): the primary registers the node and subscribes, the workers serve the calls.

import { randomUUID } from "node:crypto";
import type { Broker } from "./broker.js";
import { RpcClient } from "./client/client.js";
import type { CallWrapper, Client, ClientWrapper } from "./client/types.js";
import { CORE_FLAGS, type Config } from "./config/core-flags.js";
import type { FlagSpec } from "./config/flag-spec.js";
import { splitList } from "./config/parse.js";
import { type ConfigSources, mergeSpecs, resolveConfig, unknownFlags, usage } from "./config/resolve.js";
import { tlsWarnings } from "./config/tls.js";
import {
  createLogger,
  installedLogger,
  type LogFormat,
  type Logger,
  type LogLevel,
  logWith,
  withFields,
} from "./logger.js";
import { loadPlugin } from "./plugin/loader.js";
import { MicroErrorCode, PluginError } from "./plugin/plugin-error.js";
import { closest } from "./plugin/suggest.js";
import type { Registry } from "./registry.js";
import { assertSupportedNode } from "./runtime.js";
import type { Selector } from "./selector.js";
import { RpcServer } from "./server/server.js";
import type {
  HandlerMethods,
  HandlerObject,
  HandlerOptions,
  HandlerWrapper,
  SubscriberFunc,
  SubscriberOptions,
  SubscriberWrapper,
} from "./server/types.js";
import { allFlagSpecs, resolveRegistry, resolveStack, STACK_KINDS, type Stack } from "./stack.js";
import type { TLSOptions, Transport } from "./transport.js";
import { WORKERS_MARKER } from "./transport-fast.js";
import { WorkerPool } from "./workers/pool.js";
import { type WorkerRole, workerRole } from "./workers/role.js";
import { leaveAfterStop, leaveSignalsToPrimary, onStopRequest, reportListening } from "./workers/worker.js";

// refused at import: everything that uses core goes through this module
assertSupportedNode();

export type Hook = () => void | Promise<void>;

export interface ServiceOptions {
  name: string;
  version?: string;
  id?: string;
  metadata?: Record<string, string>;
  /** Bind address; default `:0` (all interfaces, random port) like go-micro. */
  address?: string;
  advertise?: string;
  registry?: string | Registry;
  broker?: string | Broker;
  transport?: string | Transport;
  selector?: string | Selector;
  registryAddress?: string | string[];
  brokerAddress?: string | string[];
  transportAddress?: string | string[];
  /** ms */
  registerTtl?: number;
  /** ms */
  registerInterval?: number;
  retries?: number;
  /** Whole-call timeout, ms. */
  timeout?: number;
  /** Per-attempt timeout, ms. */
  attemptTimeout?: number;
  poolSize?: number;
  /** ms */
  poolTtl?: number;
  /** Dial timeout, ms. */
  dialTimeout?: number;
  contentType?: string;
  /**
   * The application's own flags (go-micro's `micro.Flags`): resolved with the rest (code < env <
   * flag), listed by `--help`, read from `service.config()`. Flags nobody declares are an error.
   */
  flags?: readonly FlagSpec[];
  /** Any flag (core's, a plugin's or the app's) set in code, typed as the flag is (durations in ms). */
  flagValues?: Record<string, unknown>;
  /** Accept command-line flags nobody declares (an app that parses its own arguments). */
  allowUnknownFlags?: boolean;
  tls?: TLSOptions;
  drainTimeout?: number;
  beforeStart?: Hook | Hook[];
  afterStart?: Hook | Hook[];
  beforeStop?: Hook | Hook[];
  afterStop?: Hook | Hook[];
  wrapHandler?: HandlerWrapper[];
  wrapSubscriber?: SubscriberWrapper[];
  wrapClient?: ClientWrapper[];
  wrapCall?: CallWrapper[];
  /** Command-line arguments to parse (default process.argv). */
  argv?: readonly string[];
  env?: Record<string, string | undefined>;
  /** Stop on SIGINT/SIGTERM in run() (default true). */
  handleSignals?: boolean;
  /**
   * The service's logger (e.g. `pinoLogger(pino())` from `@micro/logger-pino`); it gets the
   * service's fields through its `child`. Default: setLogger's, else one built from `--log_level`
   * and `--log_format`.
   */
  logger?: Logger;
  /** `--log_level` in code (default info). Applies to the logger the service builds. */
  logLevel?: LogLevel;
  /** `--log_format` in code: text (default) or json. Applies to the logger the service builds. */
  logFormat?: LogFormat;
  /**
   * `--server_hide_errors` in code: an error a handler throws that is not a MicroError reaches the
   * caller as a 500 "internal server error" naming the request, not its message (logged in full).
   */
  hideErrors?: boolean;
  /**
   * `--server_workers` in code: processes serving this node (default 1: this process alone). With
   * more, this process becomes the primary: it forks that many workers running the same program
   * (node:cluster), which share the listening port and serve the calls, while the primary registers
   * one node (metadata `micro-ts-workers`), runs the broker subscribers and stops the workers after
   * deregistering. Hooks run in every process: `service.worker` tells a worker from the primary.
   */
  workers?: number;
}

const list = (h?: Hook | Hook[]): Hook[] => (h ? (Array.isArray(h) ? h : [h]) : []);
const listOf = (v?: string | string[]) => (v === undefined ? undefined : Array.isArray(v) ? v : splitList(v));
const nameOf = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Code options under go-micro's flag names, typed: the lowest precedence level. */
function codeOptions(o: ServiceOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...o.flagValues,
    server_name: o.name,
    server_version: o.version,
    server_id: o.id,
    server_address: o.address,
    server_advertise: o.advertise,
    server_metadata: o.metadata,
    server_hide_errors: o.hideErrors,
    server_workers: o.workers,
    log_level: o.logLevel,
    log_format: o.logFormat,
    registry: nameOf(o.registry),
    broker: nameOf(o.broker),
    transport: nameOf(o.transport),
    selector: nameOf(o.selector),
    registry_address: listOf(o.registryAddress),
    broker_address: listOf(o.brokerAddress),
    transport_address: listOf(o.transportAddress),
    register_ttl: o.registerTtl,
    register_interval: o.registerInterval,
    client_retries: o.retries,
    client_request_timeout: o.timeout,
    client_attempt_timeout: o.attemptTimeout,
    client_dial_timeout: o.dialTimeout,
    client_pool_size: o.poolSize,
    client_pool_ttl: o.poolTtl,
    client_content_type: o.contentType,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export class MicroService {
  readonly logger: Logger;
  readonly #options: ServiceOptions;
  readonly #sources: ConfigSources & { argv: readonly string[] };
  /** Core's and the app's options, resolved once here; plugin flags join them with the plugins. */
  readonly #config: Config;
  /** A bad option value, reported by start() and run() (a constructor is no place for it). */
  readonly #configError: PluginError | undefined;
  readonly #handlers: [string, object, HandlerOptions | undefined][] = [];
  readonly #subscribers: [string, SubscriberFunc, SubscriberOptions | undefined][] = [];
  #stack: Promise<Stack> | undefined;
  #registry: Promise<Registry> | undefined;
  #server: RpcServer | undefined;
  readonly #client: Client;
  readonly #rpcClient: RpcClient;
  /** Set when this process is a worker of a service served by several (forked by its primary). */
  readonly #role: WorkerRole | undefined = workerRole();
  #state: "new" | "starting" | "started" | "stopping" | "stopped" = "new";
  #stopped: Promise<void> | undefined;
  #resolveDone: (() => void) | undefined;
  readonly #done: Promise<void>;

  constructor(options: ServiceOptions) {
    if (!options?.name)
      throw new PluginError(MicroErrorCode.InvalidOption, "createService: a name is required");
    this.#options = options;
    this.#sources = {
      options: codeOptions(options),
      ...(options.env ? { env: options.env } : {}),
      argv: options.argv ?? process.argv.slice(2),
    };
    const specs = mergeSpecs([CORE_FLAGS, options.flags ?? []]);
    let config: Config;
    try {
      config = resolveConfig(specs, this.#sources);
    } catch (err) {
      if (!(err instanceof PluginError)) throw err;
      this.#configError = err;
      config = resolveConfig(specs, { env: {}, argv: [] });
    }
    this.#config = config;
    const logger =
      options.logger ??
      installedLogger() ??
      createLogger({ level: config.log_level, format: config.log_format });
    this.logger = withFields(logger, {
      service: config.server_name ?? options.name,
      ...(this.#role ? { worker: this.#role.index } : {}),
    });
    this.#done = new Promise((r) => (this.#resolveDone = r));
    const c = this.#config;
    this.#rpcClient = new RpcClient({
      deps: async () => {
        const s = await this.#resolveStack();
        return { selector: s.selector, transport: s.transport, broker: s.broker };
      },
      ...(c.client_content_type ? { contentType: c.client_content_type } : {}),
      retries: c.client_retries,
      timeout: c.client_request_timeout,
      attemptTimeout: c.client_attempt_timeout,
      dialTimeout: c.client_dial_timeout,
      poolSize: c.client_pool_size,
      poolTtl: c.client_pool_ttl,
      logger: this.logger,
      ...(options.wrapCall ? { wrapCall: options.wrapCall } : {}),
    });
    this.#client = (options.wrapClient ?? []).reduceRight<Client>((c, w) => w(c), this.#rpcClient);
  }

  /**
   * The resolved options by go-micro flag name, typed (code < MICRO_* env < --flag). Before the
   * plugins are resolved (start, or a first call) it holds core's options only.
   */
  config(): Config {
    return this.#config;
  }

  get name(): string {
    return this.#config.server_name ?? this.#options.name;
  }

  get client(): Client {
    return this.#client;
  }

  /**
   * This process's worker number (1..N) when it is a worker of a service served by several
   * processes (`workers` > 1); undefined in the primary and in a service served by one process.
   * Hooks run in every process, so one that must run once per node checks it.
   */
  get worker(): number | undefined {
    return this.#role?.index;
  }

  /** The server (after start). */
  get server(): RpcServer {
    if (!this.#server)
      throw new PluginError(MicroErrorCode.ServiceState, "the server exists once the service started");
    return this.#server;
  }

  #stackOptions() {
    return {
      registry: this.#options.registry,
      broker: this.#options.broker,
      transport: this.#options.transport,
      selector: this.#options.selector,
      tls: this.#options.tls,
      logger: this.logger,
    };
  }

  #resolveStack(): Promise<Stack> {
    if (this.#configError) return Promise.reject(this.#configError);
    // a registry resolved alone first is the stack's registry, not a second instance
    const alone = this.#registry;
    this.#stack ??= (alone ?? Promise.resolve(undefined)).then((registry) =>
      resolveStack(
        { ...this.#stackOptions(), ...(registry ? { registry } : {}) },
        this.#config,
        this.#sources,
      ),
    );
    return this.#stack;
  }

  /**
   * The registry in use. Before the stack is resolved it is resolved alone, so a tool that only
   * reads the registry (`micro services`) loads no transport, broker or codec.
   */
  registry(): Promise<Registry> {
    if (this.#configError) return Promise.reject(this.#configError);
    if (this.#stack) return this.#stack.then((s) => s.registry);
    this.#registry ??= resolveRegistry(this.#stackOptions(), this.#config, this.#sources);
    return this.#registry;
  }

  /** The plugins in use (resolved on first call). */
  stack(): Promise<Stack> {
    return this.#resolveStack();
  }

  /** Serves every method of `impl` as `<name>.<Method>` (go-micro's handler naming). */
  handle(name: string, impl: HandlerMethods, options?: HandlerOptions): this;
  handle<T extends object>(name: string, impl: T & HandlerObject<T>, options?: HandlerOptions): this;
  handle(name: string, impl: object, options?: HandlerOptions): this {
    if (this.#server) this.#server.handle(name, impl, options);
    else this.#handlers.push([name, impl, options]);
    return this;
  }

  subscribe<T = unknown>(topic: string, fn: SubscriberFunc<T>, options?: SubscriberOptions): this {
    if (this.#server) this.#server.subscribe(topic, fn, options);
    else this.#subscribers.push([topic, fn as SubscriberFunc, options]);
    return this;
  }

  async start(): Promise<void> {
    if (this.#state !== "new")
      throw new PluginError(MicroErrorCode.ServiceState, `service ${this.name} is ${this.#state}`);
    this.#state = "starting";
    if (this.#role) leaveSignalsToPrimary(this.logger);
    try {
      for (const h of list(this.#options.beforeStart)) await h();
      const stack = await this.#resolveStack();
      if (!this.#options.allowUnknownFlags) this.#refuseUnknownFlags();
      const c = stack.config;
      // once per node: a worker's primary has said it
      if (!this.#role) for (const w of tlsWarnings(c)) this.logger.warn(w);
      logWith(this.logger, "debug", "plugins", {
        registry: stack.registry.name,
        transport: stack.transport.name,
        broker: stack.broker.name,
        selector: stack.selector.name,
        content_type: c.client_content_type,
      });
      // a worker serves the node its primary registers: same id; the primary's id is made here so
      // that its workers can be told it
      const workers = c.server_workers;
      if (workers > 1 && functions.has(this))
        throw new PluginError(
          MicroErrorCode.InvalidOption,
          "--server_workers: a function serves one request; it runs in one process",
        );
      const id = this.#role?.serverId ?? c.server_id ?? randomUUID();
      const server: RpcServer = new RpcServer({
        name: c.server_name ?? this.#options.name,
        version: c.server_version,
        id,
        address: c.server_address,
        advertise: c.server_advertise,
        metadata:
          workers > 1 ? { ...c.server_metadata, [WORKERS_MARKER]: String(workers) } : c.server_metadata,
        registerTtl: c.register_ttl,
        registerInterval: c.register_interval,
        drainTimeout: this.#options.drainTimeout,
        transport: stack.transport,
        registry: stack.registry,
        broker: stack.broker,
        wrapHandler: this.#options.wrapHandler,
        wrapSubscriber: this.#options.wrapSubscriber,
        hideErrors: c.server_hide_errors,
        logger: this.logger,
        ...(this.#role ? { worker: true } : {}),
        ...(workers > 1 && !this.#role
          ? {
              listen: () =>
                WorkerPool.start({
                  count: workers,
                  serverId: id,
                  transport: stack.transport.name,
                  logger: server.logger,
                  stopTimeout: (this.#options.drainTimeout ?? 30_000) + 5_000,
                  onAddress: () =>
                    void server.register().catch((err) => this.logger.warn(`re-registering: ${err}`)),
                }),
            }
          : {}),
      });
      for (const [n, impl, o] of this.#handlers) server.handle(n, impl, o);
      for (const [t, fn, o] of this.#subscribers) server.subscribe(t, fn, o);
      this.#server = server;
      await server.start();
      this.#state = "started";
      for (const h of list(this.#options.afterStart)) await h();
      if (this.#role) {
        // the primary stops its workers after deregistering the node; then this one leaves
        onStopRequest(() => void this.stop().then(leaveAfterStop, leaveAfterStop));
        reportListening(server.address());
      }
    } catch (err) {
      this.#state = "stopped";
      this.#resolveDone?.();
      throw err;
    }
  }

  /** Every flag this service knows: core's, its plugins' and the app's. */
  #flagSpecs(): FlagSpec[] {
    return mergeSpecs([allFlagSpecs(), this.#options.flags ?? []]);
  }

  #refuseUnknownFlags(): void {
    const specs = this.#flagSpecs();
    const unknown = unknownFlags(this.#sources.argv, specs);
    if (!unknown.length) return;
    const flag = unknown[0]!;
    const guess = closest(
      flag.replaceAll("-", "_"),
      specs.map((s) => s.name),
    );
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      `unknown flag --${flag}` +
        (guess ? `: did you mean --${guess}?` : "") +
        " (an app declares its own flags with createService({ flags: [...] }); see --help)",
    );
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#doStop();
    return this.#stopped;
  }

  async #doStop(): Promise<void> {
    if (this.#state === "starting") {
      // wait for start to settle so we stop what it started
      await new Promise((r) => setTimeout(r, 10));
    }
    this.#state = "stopping";
    let hookError: unknown;
    for (const h of list(this.#options.beforeStop)) await h()?.catch?.((e: unknown) => (hookError = e));
    await this.#server?.stop();
    await this.#rpcClient.close();
    await this.#closePlugins();
    for (const h of list(this.#options.afterStop)) {
      try {
        await h();
      } catch (err) {
        hookError = err;
      }
    }
    this.#state = "stopped";
    this.#resolveDone?.();
    if (hookError) throw hookError;
  }

  /** Releases the plugins this service created by name; instances passed in code belong to the caller. */
  async #closePlugins(): Promise<void> {
    if (!this.#stack) {
      const alone = await this.#registry?.catch(() => undefined);
      if (alone && typeof this.#options.registry !== "object") await alone.close().catch(() => {});
      return;
    }
    const stack = await this.#stack.catch(() => undefined);
    if (!stack) return;
    const o = this.#options;
    const owned = (v: unknown) => typeof v !== "object";
    if (owned(o.selector)) await stack.selector.close().catch(() => {});
    // a server that ran paired its own connect with a disconnect when it stopped; a second one here
    // would take another service's turn on a broker shared in the process (memory counts them). A
    // worker's server connects none (its primary subscribes): what its client connected to publish
    // is released here, or a broker's open connection would hold the worker after it stopped.
    if (owned(o.broker) && (!this.#server || this.#role)) await stack.broker.disconnect().catch(() => {});
    if (owned(o.transport)) await stack.transport.close?.().catch(() => {});
    if (owned(o.registry)) await stack.registry.close().catch(() => {});
  }

  /** Resolves once the service has stopped (by stop(), a signal, or a function's first request). */
  done(): Promise<void> {
    return this.#done;
  }

  /**
   * A start-up failure is one line on stderr saying what and how to fix (the stack only with
   * `--debug`), and a non-zero exit status; what start() had begun is released.
   */
  #reportStartFailure(err: unknown): void {
    const text = err instanceof Error ? err.message : String(err);
    const who = this.#role ? `${this.#options.name} worker ${this.#role.index}` : this.#options.name;
    console.error(`${who}: cannot start: ${text}`);
    const debug = this.#config.debug || this.#sources.argv.includes("--debug");
    if (debug && err instanceof Error && err.stack) console.error(err.stack);
    process.exitCode = START_FAILED_EXIT_CODE;
    void this.#closeAfterFailedStart();
  }

  async #closeAfterFailedStart(): Promise<void> {
    await this.#rpcClient.close().catch(() => {});
    await this.#closePlugins().catch(() => {});
    // a plugin that keeps a handle open must not keep a process that failed to start alive
    setTimeout(() => process.exit(process.exitCode ?? START_FAILED_EXIT_CODE), 2000).unref();
  }

  /**
   * Parses flags (`--help` prints them and exits), starts, waits for SIGINT/SIGTERM, stops.
   */
  async run(): Promise<void> {
    if (this.#sources.argv.includes("--help") || this.#sources.argv.includes("-h")) {
      // the plugins chosen by name (or the defaults) are loaded first, so their flags are listed too
      for (const kind of STACK_KINDS) {
        await loadPlugin(kind, this.#config[kind]).catch((err) => console.error(String(err.message ?? err)));
      }
      console.log(
        `Usage: ${process.argv[1] ?? "service"} [options]\n\nOptions:\n${usage(this.#flagSpecs())}`,
      );
      process.exit(0);
    }
    const onSignal = (sig: NodeJS.Signals) => {
      this.logger.info(`received ${sig}, stopping ${this.name}`);
      process.once(sig, () => process.exit(1));
      void this.stop().catch((err) => this.logger.error(`stop: ${err}`));
    };
    // a worker leaves signals to its primary (start() ignores them there)
    const signals = this.#options.handleSignals !== false && !this.#role;
    if (signals) {
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    }
    try {
      try {
        await this.start();
      } catch (err) {
        this.#reportStartFailure(err);
        return;
      }
      await this.#done;
      await this.#stopped;
      // a plugin that keeps a handle open must not keep a stopped service alive
      setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
    } finally {
      if (signals) {
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
      }
    }
  }
}

/** The process's exit status when run() could not start the service. */
export const START_FAILED_EXIT_CODE = 1;

export function createService(options: ServiceOptions): MicroService {
  return new MicroService(options);
}

/** The services createFunction made: one request, so one process (no workers). */
const functions = new WeakSet<MicroService>();

/**
 * A service that serves a single request, then deregisters and stops (go-micro's Function).
 */
export function createFunction(options: ServiceOptions): MicroService {
  let svc: MicroService;
  let fired = false;
  const once: HandlerWrapper = (next) => async (ctx, req) => {
    try {
      return await next(ctx, req);
    } finally {
      if (!fired) {
        fired = true;
        // after the reply is written: stop() drains the request in flight first
        setImmediate(() => void svc.stop().catch(() => {}));
      }
    }
  };
  const onceSub: SubscriberWrapper = (next) => async (ctx, msg) => {
    try {
      return await next(ctx, msg);
    } finally {
      if (!fired) {
        fired = true;
        setImmediate(() => void svc.stop().catch(() => {}));
      }
    }
  };
  svc = new MicroService({
    ...options,
    wrapHandler: [...(options.wrapHandler ?? []), once],
    wrapSubscriber: [...(options.wrapSubscriber ?? []), onceSub],
  });
  functions.add(svc);
  return svc;
}

/**
 * A client without a server. `close()` releases what it created: pooled connections and the
 * registry, selector and broker it resolved by name (their watches keep sockets open).
 */
export function createClient(options: Omit<ServiceOptions, "name"> & { name?: string }): Client {
  const svc = new MicroService({ ...options, name: options.name ?? "go.micro.client" });
  const c = svc.client;
  return {
    call: (service, endpoint, request, opts) => c.call(service, endpoint, request, opts),
    stream: (service, endpoint, request, opts) => c.stream(service, endpoint, request, opts),
    publish: (topic, message, opts) => c.publish(topic, message, opts),
    close: () => svc.stop(),
  };
}
