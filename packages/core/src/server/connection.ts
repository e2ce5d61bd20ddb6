// Serves one transport connection: unary calls answered in arrival order, streams demultiplexed by
// `Micro-Stream` (go-micro's server/rpc_server.go ServeConn), events by `Micro-Topic` (server/rpc_events.go). Bad input gets a MicroError
// reply; nothing a peer sends can throw out of here.

import type { Codec } from "../codec.js";
import { type Context, deadlineFromHeader } from "../context.js";
import { envelopeOf, MessageKind, type RpcEnvelope } from "../envelope.js";
import { MicroError } from "../errors.js";
import { AsyncQueue } from "../kit/async-queue.js";
import { type Logger, levelEnabled, withFields } from "../logger.js";
import { Metadata } from "../metadata.js";
import { findCodec, missingContentType, resolveCodec } from "../plugin/codecs.js";
import type { Socket, TransportMessage } from "../transport.js";
import { type CallContext, callContext } from "./call-context.js";
import { handlerFailure, logCall, logLate, requestIdOf } from "./call-log.js";
import type { Route } from "./router.js";
import type { HandlerFunc } from "./types.js";

export interface ConnectionHost {
  readonly name: string;
  readonly logger: Logger;
  route(endpoint: string): { route: Route; fn: HandlerFunc } | undefined;
  /** Whether a handler of this name is registered (go-micro's "service" half of `Handler.Method`). */
  hasHandler(name: string): boolean;
  dispatchEvent(topic: string, header: Record<string, string>, body: Uint8Array): Promise<void>;
  track(delta: 1 | -1): void;
  readonly shutdown: AbortSignal;
  /** Unexpected handler errors reach the caller as a generic 500 (--server_hide_errors). */
  readonly hideErrors?: boolean;
}

interface StreamState {
  inbound: AsyncQueue<unknown>;
  controller: AbortController;
  codec: Codec;
  route: Route;
}

interface Resolved {
  readonly route: Route;
  readonly fn: HandlerFunc;
  readonly endpoint: string;
  readonly found: { route: Route; fn: HandlerFunc };
}

const EMPTY = new Uint8Array(0);
// go-micro's router fails with plain Go errors (errors.New), not errors.Error JSON: Micro-Error
// carries the bare text, which a Go client parses to {detail} with no id, code or status
const plainErrors = new WeakSet<MicroError>();
function plainError(text: string): MicroError {
  const e = new MicroError("", text, 0, "");
  plainErrors.add(e);
  return e;
}
/** What goes in `Micro-Error`: Go's `err.Error()`. */
function errorText(err: unknown): string {
  const e = MicroError.from(err, "go.micro.server");
  return plainErrors.has(e) ? e.detail : e.toString();
}
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
// One reply header object per content type: the transport only reads it, and its encoder skips
// re-serializing a header it has seen before.
const replyHeaders = new Map<string, Record<string, string>>();
function contentTypeHeader(contentType: string): Record<string, string> {
  let h = replyHeaders.get(contentType);
  if (!h) {
    h = Object.freeze({ "Content-Type": contentType }) as Record<string, string>;
    if (replyHeaders.size < 64) replyHeaders.set(contentType, h);
  }
  return h;
}

export class Connection {
  readonly #streams = new Map<string, StreamState>();
  readonly #active = new Set<CallContext>();
  #last: Resolved | undefined;

  constructor(
    private readonly host: ConnectionHost,
    private readonly socket: Socket,
  ) {}

  /** Closes the connection (idle keep-alive connections at shutdown). */
  close(): Promise<void> {
    return this.socket.close().catch(() => {});
  }

  async serve(): Promise<void> {
    const { socket } = this;
    for (;;) {
      let msg: TransportMessage;
      try {
        msg = await socket.recv();
      } catch {
        break; // peer gone, or a malformed frame the transport already answered
      }
      const h = msg.header;
      const topic = h["Micro-Topic"];
      if (topic) {
        await this.#event(topic, msg);
        continue;
      }
      const streamId = h["Micro-Stream"] ?? h["X-Micro-Stream"];
      if (streamId) {
        this.#streamMessage(streamId, msg);
        continue;
      }
      await this.#unary(msg);
    }
    const gone = new MicroError("go.micro.server", "connection closed", 499);
    for (const c of this.#active) c.abort(gone);
    for (const s of this.#streams.values()) {
      s.controller.abort(gone);
      s.inbound.fail(gone);
    }
    this.#streams.clear();
    await socket.close().catch(() => {});
  }

  async #codec(header: Record<string, string>): Promise<{ codec: Codec; contentType: string }> {
    const contentType = header["Content-Type"] || (await missingContentType("request"));
    const codec = findCodec(contentType) ?? (await resolveCodec(contentType, "go.micro.server"));
    return { codec, contentType };
  }

  #context(endpoint: string, header: Record<string, string>, controller: AbortController): Context {
    const metadata = Metadata.fromHeaders(header);
    metadata.set("Local", this.socket.local);
    metadata.set("Remote", this.socket.remote);
    const deadline = deadlineFromHeader(header.Timeout);
    const ctx: Context = {
      service: this.host.name,
      endpoint,
      metadata,
      signal: controller.signal,
      logger: withFields(this.host.logger, { endpoint, request_id: requestIdOf(header) }),
    };
    if (deadline !== undefined) (ctx as { deadline?: number }).deadline = deadline;
    return ctx;
  }

  #lookup(
    header: Record<string, string>,
    fromEnvelope?: string,
  ): { route: Route; fn: HandlerFunc; endpoint: string } {
    const r = this.#resolve(header, fromEnvelope);
    return { route: r.route, fn: r.fn, endpoint: r.endpoint };
  }

  /** Like #lookup, without a fresh object: unary calls only read the result. */
  #resolve(header: Record<string, string>, fromEnvelope?: string): Resolved {
    const endpoint =
      header["Micro-Endpoint"] ||
      header["Micro-Method"] ||
      fromEnvelope ||
      header["X-Micro-Endpoint"] ||
      header["X-Micro-Method"];
    // go-micro's router texts, word for word (server/rpc_router.go readHeader)
    if (!endpoint) throw plainError("rpc: service/endpoint request ill-formed: ");
    const last = this.#last;
    // the same endpoint as the previous call on this connection, and its handler is still the one
    // the server routes to: skip the checks and the object
    if (last && last.endpoint === endpoint && this.host.route(endpoint) === last.found) return last;
    // exactly one dot, as Go's len(strings.Split(endpoint, ".")) != 2 check demands
    const dot = endpoint.indexOf(".");
    if (dot < 0 || endpoint.indexOf(".", dot + 1) >= 0) {
      throw plainError(`rpc: service/endpoint request ill-formed: ${endpoint}`);
    }
    const found = this.host.route(endpoint);
    if (!found) {
      const handler = endpoint.slice(0, dot);
      throw plainError(
        this.host.hasHandler(handler)
          ? `rpc: can't find method ${endpoint.slice(dot + 1)}`
          : `rpc: can't find service ${handler}`,
      );
    }
    this.#last = { route: found.route, fn: found.fn, endpoint, found };
    return this.#last;
  }

  async #reply(header: Record<string, string>, body: Uint8Array = EMPTY): Promise<void> {
    try {
      await this.socket.send({ header, body });
    } catch (err) {
      this.#replyFailed(err);
    }
  }

  #replyFailed(err: unknown): void {
    this.host.logger.debug(
      `reply to ${this.socket.remote} failed: ${err instanceof Error ? err.message : err}`,
    );
  }

  #errorReply(err: unknown): Promise<void> {
    const text = errorText(err);
    return this.#reply({ "Micro-Error": text, "X-Micro-Error": text });
  }

  /** A handler's error as its caller gets it (logged; hidden with --server_hide_errors). */
  #handlerFailed(err: unknown, endpoint: string, header: Record<string, string>, deadline?: number): unknown {
    const id = requestIdOf(header);
    if (deadline !== undefined) logLate(this.host.logger, endpoint, id, deadline);
    return handlerFailure(this.host.logger, err, endpoint, id, this.host.hideErrors === true);
  }

  async #unary(msg: TransportMessage): Promise<void> {
    let call: CallContext | undefined;
    this.host.track(1);
    // each call's debug line (and the clock it needs) only when debug is on
    const started = levelEnabled(this.host.logger, "debug") ? performance.now() : -1;
    let served: string | undefined;
    let failure: unknown;
    // clients of go-micro's legacy protocol carry the call in an envelope and expect one back
    let envelope: { envelope: RpcEnvelope; id: string; method?: string } | undefined;
    try {
      const contentType = msg.header["Content-Type"] || (await missingContentType("request"));
      const codec = findCodec(contentType) ?? (await resolveCodec(contentType, "go.micro.server"));
      let body = msg.body;
      let method: string | undefined;
      const legacy = envelopeOf(codec);
      if (legacy) {
        const u = legacy.unwrap(MessageKind.Request, body);
        envelope = { envelope: legacy, id: u.header.id, method: u.header.method ?? u.header.endpoint };
        method = envelope.method;
        body = u.body;
      }
      const { route, fn, endpoint } = this.#resolve(msg.header, method);
      served = endpoint;
      if (route.stream)
        throw MicroError.badRequest("go.micro.server", `${endpoint} is a stream: open it as a stream`);
      let req: unknown;
      try {
        req = codec.unmarshal(body, route.options.requestType);
      } catch (err) {
        // go-micro returns the codec's error as it is
        throw plainError(reason(err));
      }
      call = callContext(this.host.name, endpoint, msg.header, this.socket, this.host.logger);
      this.#active.add(call);
      const ctx = call.ctx;
      let rsp: unknown;
      try {
        rsp = await fn(ctx, req);
      } catch (err) {
        throw this.#handlerFailed(
          err,
          endpoint,
          msg.header,
          call.endedBySignal(err) ? undefined : ctx.deadline,
        );
      }
      if (ctx.deadline !== undefined)
        logLate(this.host.logger, endpoint, requestIdOf(msg.header), ctx.deadline);
      let out: Uint8Array;
      try {
        out = rsp === undefined ? EMPTY : codec.marshal(rsp, route.options.responseType);
        if (envelope)
          out = envelope.envelope.wrap(MessageKind.Response, { id: envelope.id, method: endpoint }, out);
      } catch (err) {
        // go-micro: errors.Wrapf(err, "Unable to encode body"), a plain error
        throw plainError(`Unable to encode body: ${reason(err)}`);
      }
      // sent here rather than through #reply: one async frame (and promise hop) less per call
      const header = out.length ? contentTypeHeader(contentType) : NO_HEADERS;
      try {
        await this.socket.send({ header, body: out });
      } catch (err) {
        this.#replyFailed(err);
      }
    } catch (err) {
      failure = err;
      if (envelope) {
        const text = errorText(err);
        const out = envelope.envelope.wrap(
          MessageKind.Error,
          { id: envelope.id, method: envelope.method, error: text },
          EMPTY,
        );
        await this.#reply({ "Micro-Error": text, "X-Micro-Error": text }, out);
      } else {
        await this.#errorReply(err);
      }
    } finally {
      if (call) {
        call.done();
        this.#active.delete(call);
      }
      this.host.track(-1);
      if (started >= 0) {
        const endpoint = served ?? msg.header["Micro-Endpoint"] ?? "";
        logCall(this.host.logger, endpoint, requestIdOf(msg.header), started, failure);
      }
    }
  }

  #streamMessage(id: string, msg: TransportMessage): void {
    const s = this.#streams.get(id);
    const eos = msg.header["Micro-Error"];
    if (s) {
      if (eos === "EOS") s.inbound.end();
      else if (eos) s.inbound.fail(MicroError.parse(eos));
      else {
        try {
          s.inbound.push(s.codec.unmarshal(msg.body, s.route.options.requestType));
        } catch (err) {
          s.inbound.fail(
            MicroError.badRequest("go.micro.server", `cannot decode stream message: ${reason(err)}`),
          );
        }
      }
      return;
    }
    if (eos) {
      // EOS for a stream that already ended: the client is done with this connection (Go closes it)
      if (this.#streams.size === 0) void this.socket.close().catch(() => {});
      return;
    }
    void this.#runStream(id, msg);
  }

  async #runStream(id: string, open: TransportMessage): Promise<void> {
    const controller = new AbortController();
    this.host.track(1);
    let state: StreamState | undefined;
    let header: Record<string, string> = {};
    const started = levelEnabled(this.host.logger, "debug") ? performance.now() : -1;
    let failure: unknown;
    try {
      const { codec, contentType } = await this.#codec(open.header);
      const { route, fn, endpoint } = this.#lookup(open.header);
      if (!route.stream)
        throw MicroError.badRequest("go.micro.server", `${endpoint} is not a stream: call it`);
      header = {
        "Content-Type": contentType,
        "Micro-Endpoint": endpoint,
        "Micro-Method": endpoint,
        "Micro-Service": this.host.name,
        "X-Micro-Endpoint": endpoint,
        "X-Micro-Method": endpoint,
        "X-Micro-Service": this.host.name,
      };
      // The opening frame's body is discarded, as Go's server does.
      state = { inbound: new AsyncQueue(), controller, codec, route };
      this.#streams.set(id, state);
      const ctx = this.#context(endpoint, open.header, controller);
      let arg: unknown = state.inbound;
      if (route.stream === "server") {
        const first = await state.inbound.pull();
        if (first.done)
          throw MicroError.badRequest("go.micro.server", "stream closed before its request arrived");
        arg = first.value;
      }
      // the handler's own errors (its call and each step of its generator) are logged and may be
      // hidden; encoding and sending are not the handler's
      let inHandler = true;
      try {
        const out = await fn(ctx, arg);
        if (out && typeof (out as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
          for await (const item of out as AsyncIterable<unknown>) {
            inHandler = false;
            if (controller.signal.aborted || this.socket.closed) break;
            await this.socket.send({ header, body: codec.marshal(item, route.options.responseType) });
            inHandler = true;
          }
        }
      } catch (err) {
        throw inHandler ? this.#handlerFailed(err, endpoint, open.header) : err;
      }
      if (!this.socket.closed) await this.#reply({ ...header, "Micro-Error": "EOS", "X-Micro-Error": "EOS" });
    } catch (err) {
      failure = err;
      if (!this.socket.closed && !controller.signal.aborted) {
        const text = errorText(err);
        await this.#reply({ ...header, "Micro-Error": text, "X-Micro-Error": text });
      }
    } finally {
      if (state) this.#streams.delete(id);
      this.host.track(-1);
      if (started >= 0) {
        const endpoint = header["Micro-Endpoint"] ?? open.header["Micro-Endpoint"] ?? "";
        logCall(this.host.logger, endpoint, requestIdOf(open.header), started, failure);
      }
    }
  }

  async #event(topic: string, msg: TransportMessage): Promise<void> {
    try {
      await this.host.dispatchEvent(topic, msg.header, msg.body);
      await this.#reply({});
    } catch (err) {
      await this.#errorReply(err);
    }
  }
}

function reason(err: unknown): string {
  return err instanceof MicroError ? err.detail : err instanceof Error ? err.message : String(err);
}
