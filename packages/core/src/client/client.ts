// The RPC client: selector -> node, per-attempt and whole-call timeouts, retries with go-micro's
// backoff, pooled connections, call wrappers; plus streams and publishing.
import { randomUUID } from "node:crypto";
import type { Broker } from "../broker.js";
import { envelopeOf, MessageKind } from "../envelope.js";
import { MicroError } from "../errors.js";
import { getLogger, type Logger } from "../logger.js";
import { Metadata } from "../metadata.js";
import { defaultContentType, findCodec, legacyContentType, resolveCodec } from "../plugin/codecs.js";
import type { Node } from "../registry.js";
import type { Next, SelectOptions, Selector } from "../selector.js";
import type { Transport, TransportMessage } from "../transport.js";
import {
  canMux,
  hasRecvInto,
  isUnprocessed,
  type MuxDialOptions,
  muxConnections,
  usesMux,
} from "../transport-fast.js";
import { exponentialBackoff, sleep } from "./backoff.js";
import { marshalBody, unmarshalBody } from "./body.js";
import { deadlines } from "./deadlines.js";
import {
  callTimeout,
  dialError,
  dialTimedOut,
  noteLostConnection,
  notProcessed,
  retryOnError,
  transportError,
} from "./errors.js";
import { requestHeaders } from "./headers.js";
import { blockedRetry, logRetry, observeEndpoint, retryAfterLoss } from "./idempotency.js";
import { ConnectionPool } from "./pool.js";
import { RpcClientStream } from "./stream.js";
import type {
  CallFunc,
  CallOptions,
  CallWrapper,
  Client,
  ClientStream,
  PublishMessageOptions,
  Request,
} from "./types.js";

export interface ClientDeps {
  selector: Selector;
  transport: Transport;
  broker?: Broker;
}

/** The client's settings; the service fills them from its config (defaults live in core's flags). */
export interface ClientOptions {
  /** The plugins, or a function that resolves them on first use. */
  deps: ClientDeps | (() => Promise<ClientDeps>);
  /** Undefined: the default codec's, found when the plugins are resolved. */
  contentType?: string;
  retries: number;
  /** Whole-call timeout in ms. */
  timeout: number;
  /** Per-attempt timeout in ms. */
  attemptTimeout: number;
  dialTimeout: number;
  poolSize: number;
  poolTtl: number;
  backoff?: (attempt: number) => number;
  retry?: (error: unknown, attempt: number) => boolean;
  wrapCall?: CallWrapper[];
  /** Where retried attempts are reported (default: getLogger()). */
  logger?: Logger;
}

type Settings = Required<Omit<ClientOptions, "deps" | "contentType">> & { contentType: string };

export class RpcClient implements Client {
  #deps: ClientDeps | undefined;
  #depsPromise: Promise<ClientDeps> | undefined;
  #pool: ConnectionPool | undefined;
  /** Sockets multiplexed on shared connections, for nodes that advertise it (see transport-fast.ts). */
  #muxPool: ConnectionPool | undefined;
  #seq = 0;
  #brokerConnected: Promise<void> | undefined;
  #callFunc: CallFunc | undefined;
  readonly #direct = new Map<string, Node[]>();
  readonly options: Settings;
  readonly #depsOption: ClientOptions["deps"];

  constructor(options: ClientOptions) {
    this.#depsOption = options.deps;
    this.options = {
      contentType: options.contentType ?? "",
      retries: options.retries,
      timeout: options.timeout,
      attemptTimeout: options.attemptTimeout,
      dialTimeout: options.dialTimeout,
      poolSize: options.poolSize,
      poolTtl: options.poolTtl,
      backoff: options.backoff ?? exponentialBackoff,
      retry: options.retry ?? retryOnError,
      wrapCall: options.wrapCall ?? [],
      logger: options.logger ?? getLogger(),
    };
  }

  async #resolve(): Promise<ClientDeps> {
    if (this.#deps) return this.#deps;
    this.#depsPromise ??= (async () => {
      const d = typeof this.#depsOption === "function" ? await this.#depsOption() : this.#depsOption;
      if (!this.options.contentType) this.options.contentType = await defaultContentType();
      this.#pool = new ConnectionPool(d.transport, {
        size: this.options.poolSize,
        ttl: this.options.poolTtl,
      });
      const t = d.transport;
      if (canMux(t)) {
        // the same pool rules over virtual sockets: one call at a time on each, many on one connection
        const dialMux = (address: string, opts?: MuxDialOptions) => t.dialMux(address, opts);
        this.#muxPool = new ConnectionPool(
          { name: t.name, listen: (a, lo) => t.listen(a, lo), dial: dialMux },
          { size: this.options.poolSize, ttl: this.options.poolTtl },
        );
      }
      this.#deps = d;
      return d;
    })();
    return this.#depsPromise;
  }

  nextId(): string {
    return String(this.#seq++);
  }

  async call<Rsp = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options: CallOptions = {},
  ): Promise<Rsp> {
    const deps = this.#deps ?? (await this.#resolve());
    const o = this.options;
    const contentType = options.contentType ?? o.contentType;
    const started = Date.now();
    const deadline = started + (options.timeout ?? o.timeout);
    const retries = options.retries ?? o.retries;
    const backoff = options.backoff ?? o.backoff;
    const retry = options.retry ?? o.retry;
    let idempotent = options.idempotent;
    // the endpoint's registry metadata may say whether it is idempotent: read it from what the
    // selector chooses from (only where it matters: a retry could follow, and the selector picks the node)
    const select =
      idempotent === undefined && retries > 0 && !options.address
        ? observeEndpoint(options.select, endpoint, (advertised) => (idempotent = advertised))
        : options.select;
    const picked = this.#next(deps.selector, service, options, select);
    const next = typeof picked === "function" ? picked : await picked;
    const req: Request = { service, endpoint, body: request, contentType };
    this.#callFunc ??= o.wrapCall.reduceRight<CallFunc>(
      (fn, w) => w(fn),
      (n, r, opts) => this.#callNode(n, r, opts),
    );
    const call = this.#callFunc;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) {
        const wait = backoff(attempt);
        if (Date.now() + wait >= deadline) break;
        await sleep(wait, options.signal);
      }
      if (options.signal?.aborted) throw abortError(options.signal);
      let node: Node;
      try {
        node = next();
      } catch (err) {
        throw lastError ?? err;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const attemptTimeout = Math.min(options.attemptTimeout ?? o.attemptTimeout, remaining);
      try {
        const rsp = (await call(node, req, { ...options, attemptTimeout, contentType })) as Rsp;
        if (!options.address) deps.selector.mark(service, node, undefined);
        return rsp;
      } catch (err) {
        lastError = err;
        if (!options.address) deps.selector.mark(service, node, isNodeFailure(err) ? err : undefined);
        // an idempotent call also survives its node dying mid-call: the selector, told of the
        // failure just above, picks another node for the next attempt
        if (!retry(err, attempt) && !retryAfterLoss(idempotent, err)) throw err;
        if (blockedRetry(idempotent, err)) {
          o.logger.debug(`${service} ${endpoint}: not retried, the call is not idempotent`);
          throw err;
        }
        if (attempt < retries)
          logRetry(o.logger, err, { service, endpoint, node, attempt, retries, timeout: attemptTimeout });
      }
    }
    if (lastError && !(lastError instanceof MicroError && lastError.code === 408)) throw lastError;
    throw callTimeout(
      lastError instanceof MicroError && lastError.code === 408 && Date.now() < deadline
        ? lastError.detail
        : "call timeout: context deadline exceeded",
    );
  }

  // Synchronous for direct addresses so a call takes no extra promise hop before its first attempt.
  #next(
    selector: Selector,
    service: string,
    options: CallOptions,
    select: SelectOptions | undefined = options.select,
  ): Next | Promise<Next> {
    if (options.address) {
      const one = typeof options.address === "string";
      const nodes = one
        ? this.#addressNodes(options.address as string)
        : toNodes(options.address as string[]);
      if (nodes.length === 1) {
        const only = nodes[0]!;
        return () => only;
      }
      let i = Date.now() % nodes.length;
      return () => nodes[i++ % nodes.length]!;
    }
    return selector.select(service, select);
  }

  // The node of a direct address, made once: a call to a fixed address is the hot path of a
  // client that talks to one peer (the objects are only read).
  #addressNodes(address: string): Node[] {
    let nodes = this.#direct.get(address);
    if (!nodes) {
      nodes = toNodes([address]);
      if (this.#direct.size >= 256) this.#direct.clear();
      this.#direct.set(address, nodes);
    }
    return nodes;
  }

  /** One attempt against one node over a pooled connection. */
  async #callNode(node: Node, req: Request, options: CallOptions): Promise<unknown> {
    const legacy = !node.metadata?.protocol;
    const contentType = legacy ? legacyContentType(req.contentType) : req.contentType;
    const codec = findCodec(contentType) ?? (await resolveCodec(contentType));
    const envelope = legacy ? envelopeOf(codec) : undefined;
    const id = this.nextId();
    const md = options.metadata ? new Metadata(options.metadata) : undefined;
    const header = requestHeaders(md, req.service, req.endpoint, contentType, id, options.attemptTimeout);
    let body = marshalBody(codec, req.body, options.requestType);
    if (envelope)
      body = envelope.wrap(MessageKind.Request, { id, service: req.service, method: req.endpoint }, body);

    const mux = this.#muxPool !== undefined && usesMux(this.#deps!.transport, node.metadata);
    const pool = (mux ? this.#muxPool : this.#pool)!;
    const timeout = options.attemptTimeout ?? this.options.attemptTimeout;
    let socket = pool.take(node.address);
    if (!socket) {
      try {
        socket = await pool.get(
          node.address,
          Math.min(options.dialTimeout ?? this.options.dialTimeout, timeout),
          options.signal,
          mux ? muxConnections(node.metadata) : undefined,
        );
      } catch (err) {
        throw err instanceof MicroError && err.code === 408
          ? dialTimedOut(err)
          : dialError(node.address, err);
      }
    }
    const conn = socket;
    let released = false;
    try {
      // one promise per attempt: the exchange settles it, or the deadline does (a late answer is
      // ignored). recv() is armed right away, not after send() settles: one promise hop less.
      const rsp = await new Promise<TransportMessage>((resolve, reject) => {
        const expires = Date.now() + timeout;
        const deadline = deadlines.after(timeout, () => reject(callTimeout()));
        const fail = (err: unknown) => {
          deadline.cancel();
          reject(err);
        };
        const got = (m: TransportMessage) => {
          deadline.cancel();
          // the wheel fires up to a tick late: an answer after the attempt's deadline is still a
          // timeout, as it was with an exact timer (a server aborting at that deadline must not win)
          if (Date.now() >= expires) reject(callTimeout());
          else resolve(m);
        };
        conn.send({ header, body }).then(undefined, fail);
        // a transport that can hand the reply to callbacks saves a promise and a turn
        if (hasRecvInto(conn)) conn.recvInto(got, fail);
        else conn.recv().then(got, fail);
      });
      pool.release(node.address, conn);
      released = true;
      const microError = rsp.header["Micro-Error"];
      if (microError && microError !== "EOS") throw MicroError.parse(microError);
      let data = rsp.body;
      if (envelope) {
        const u = envelope.unwrap(MessageKind.Response, data);
        if (u.header.error) throw MicroError.parse(u.header.error);
        data = u.body;
      }
      return unmarshalBody(codec, data, options.responseType, "response");
    } catch (err) {
      if (released) throw err;
      pool.discard(conn);
      if (err instanceof MicroError && err.id === "go.micro.client" && err.code === 408) throw err;
      if (isUnprocessed(err)) throw notProcessed(transportError(err));
      throw noteLostConnection(transportError(err));
    }
  }

  stream<Rsp = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request?: Req,
    options: CallOptions = {},
  ): ClientStream<Req, Rsp> {
    const settings = this.options;
    return new RpcClientStream<Req, Rsp>(
      async () => {
        const deps = await this.#resolve();
        const next = await this.#next(deps.selector, service, options);
        return { deps, next };
      },
      {
        service,
        endpoint,
        request,
        options,
        // read once the plugins are resolved, when the default codec is known
        get contentType() {
          return options.contentType ?? settings.contentType;
        },
        dialTimeout: options.dialTimeout ?? this.options.dialTimeout,
        retries: options.retries ?? this.options.retries,
        id: () => this.nextId(),
      },
    );
  }

  async publish<T = unknown>(topic: string, message: T, options: PublishMessageOptions = {}): Promise<void> {
    const deps = await this.#resolve();
    if (!deps.broker) throw MicroError.internal("go.micro.client", "publish: no broker configured");
    this.#brokerConnected ??= deps.broker.connect();
    await this.#brokerConnected;
    const contentType = options.contentType ?? this.options.contentType;
    const codec = await resolveCodec(contentType);
    const header: Record<string, string> = {};
    if (options.metadata) for (const [k, v] of new Metadata(options.metadata)) header[k] = v;
    header["Content-Type"] = contentType;
    header["Micro-Topic"] = topic;
    // broker headers are a plain map in Go: the key is literally Micro-ID
    header["Micro-ID"] = randomUUID();
    const body = marshalBody(codec, message, options.messageType);
    await deps.broker.publish(topic, { header, body }, { signal: options.signal });
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool?.close(), this.#muxPool?.close()]);
  }
}

function toNodes(addresses: string[]): Node[] {
  return addresses.map((a) => ({ id: a, address: a, metadata: { protocol: "mucp" } }));
}

/** Errors that say the node is unhealthy (not that the request was bad). */
function isNodeFailure(err: unknown): boolean {
  return (
    err instanceof MicroError &&
    (err.id === "go.micro.client.transport" || err.code === 408 || err.code === 503)
  );
}

function abortError(signal: AbortSignal): MicroError {
  const r = signal.reason;
  return r instanceof MicroError
    ? r
    : new MicroError("go.micro.client", `call cancelled: ${r?.message ?? r ?? "aborted"}`, 499);
}
