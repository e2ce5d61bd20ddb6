// A client stream on a dedicated connection (go-micro's client/rpc_stream.go): an opening frame, then one request per
// message sent; responses until `Micro-Error: EOS`. close() sends EOS and drops the connection as Go
// does; closeSend() sends EOS but keeps reading (the server's Recv sees EOF and may still reply).
//
// Half-close and go-micro v5.30: a Go stream handler that returns after reading EOF sends nothing at
// all (its router only sends EOS when the handler ended without having seen the client's EOS), so
// the end of a half-closed stream is invisible on the wire. What is visible: an EOS for a stream
// the server no longer runs makes go-micro close the connection, after flushing what the handler
// sent. So after closeSend() to a node that is not ours we repeat the EOS now and then ("probes"):
// while the handler runs they are queued and ignored; once it has returned, the next probe makes
// the server hang up, and that close is the end of the stream. It takes a transport that shows the
// server closing: go-micro's http transport does (TCP close), its nats transport does not, and
// there closeSend() refuses at once rather than leave recv() waiting for an end that never comes.
import type { Codec } from "../codec.js";
import { MicroError } from "../errors.js";
import { Metadata } from "../metadata.js";
import { resolveCodec } from "../plugin/codecs.js";
import type { Node } from "../registry.js";
import type { Next } from "../selector.js";
import type { Socket, TransportMessage } from "../transport.js";
import { muxConnections, showsPeerClose, usesMux } from "../transport-fast.js";
import { marshalBody, unmarshalBody } from "./body.js";
import type { ClientDeps } from "./client.js";
import { dialError, transportError } from "./errors.js";
import { requestHeaders } from "./headers.js";
import type { CallOptions, ClientStream } from "./types.js";

/**
 * Node metadata key our servers register and go-micro never does: the node ends every stream with
 * EOS, a half-closed one included (value: "1").
 */
export const NODE_MARKER = "micro-ts";

// probes after a half-close to a server not known to answer it: 25 ms, doubling up to 0.5 s
const PROBE_FIRST_MS = 25;
const PROBE_MAX_MS = 500;
const EOS_HEADER = { "Micro-Error": "EOS" } as const;

interface StreamConfig {
  service: string;
  endpoint: string;
  request: unknown;
  options: CallOptions;
  contentType: string;
  dialTimeout: number;
  retries: number;
  id: () => string;
}

export class RpcClientStream<Req, Rsp> implements ClientStream<Req, Rsp> {
  #opening: Promise<void> | undefined;
  #socket: Socket | undefined;
  #codec: Codec | undefined;
  #header: Record<string, string> = {};
  #done = false;
  #sentEOS = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #failure: MicroError | undefined;
  #node: Node | undefined;
  #transport = "";
  #closeVisible = false;
  #probe: NodeJS.Timeout | undefined;
  #probed = false;

  constructor(
    private readonly resolve: () => Promise<{ deps: ClientDeps; next: Next }>,
    private readonly cfg: StreamConfig,
  ) {}

  #open(): Promise<void> {
    this.#opening ??= this.#doOpen();
    return this.#opening;
  }

  async #doOpen(): Promise<void> {
    const { deps, next } = await this.resolve();
    const { cfg } = this;
    this.#codec = await resolveCodec(cfg.contentType);
    let lastError: unknown;
    this.#transport = deps.transport.name;
    this.#closeVisible = showsPeerClose(deps.transport);
    for (let attempt = 0; attempt <= cfg.retries && !this.#socket; attempt++) {
      const node = next();
      try {
        const t = deps.transport;
        const opts = { stream: true, timeout: cfg.dialTimeout, signal: cfg.options.signal };
        // a node of ours that multiplexes: the stream shares a connection instead of dialing one
        this.#socket = await (usesMux(t, node.metadata)
          ? t.dialMux(node.address, { ...opts, connections: muxConnections(node.metadata) })
          : t.dial(node.address, opts));
        this.#node = node;
        deps.selector.mark(cfg.service, node, undefined);
      } catch (err) {
        lastError = dialError(node.address, err);
        deps.selector.mark(cfg.service, node, lastError);
      }
    }
    if (!this.#socket) throw lastError;
    const id = cfg.id();
    const md = cfg.options.metadata ? new Metadata(cfg.options.metadata) : undefined;
    this.#header = requestHeaders(md, cfg.service, cfg.endpoint, cfg.contentType, id, undefined);
    this.#header["Micro-Stream"] = id;
    if (cfg.options.timeout) {
      this.#timer = setTimeout(() => {
        this.#failure = MicroError.timeout("go.micro.client", "stream timeout: deadline exceeded");
        void this.close();
      }, cfg.options.timeout);
      this.#timer.unref();
    }
    cfg.options.signal?.addEventListener("abort", () => void this.close(), { once: true });
    // The opening frame carries an empty message; Go servers read and discard it.
    await this.#write(this.#emptyBody());
    if (cfg.request !== undefined) await this.#write(this.#encode(cfg.request));
  }

  #emptyBody(): Uint8Array {
    try {
      return this.#codec!.marshal({}, this.cfg.options.requestType);
    } catch {
      return new Uint8Array(0);
    }
  }

  #encode(msg: unknown): Uint8Array {
    return marshalBody(this.#codec!, msg, this.cfg.options.requestType);
  }

  async #write(body: Uint8Array, extra?: Record<string, string>): Promise<void> {
    const header = extra ? { ...this.#header, ...extra } : this.#header;
    try {
      await this.#socket!.send({ header, body });
    } catch (err) {
      throw transportError(err);
    }
  }

  async send(message: Req): Promise<void> {
    await this.#open();
    if (this.#closed || this.#sentEOS)
      throw MicroError.badRequest("go.micro.client", "stream closed for sending");
    await this.#write(this.#encode(message));
  }

  async recv(): Promise<Rsp | undefined> {
    await this.#open();
    if (this.#failure) throw this.#failure;
    if (this.#done) return undefined;
    let msg: TransportMessage;
    try {
      msg = await this.#socket!.recv();
    } catch (err) {
      this.#done = true;
      if (this.#failure) throw this.#failure;
      if (this.#closed) return undefined;
      void this.close();
      const e = transportError(err);
      // a go-micro server hangs up on a probe once the half-closed stream's handler has returned
      // (and after sending everything it sent): that is the stream's end
      if (e.detail === "EOF" && this.#probed) return undefined;
      throw e.detail === "EOF" ? new MicroError(e.id, "unexpected EOF", 500) : e;
    }
    const error = msg.header["Micro-Error"];
    if (error === "EOS") {
      this.#done = true;
      void this.close();
      return undefined;
    }
    if (error) {
      this.#done = true;
      void this.close();
      throw MicroError.parse(error);
    }
    return unmarshalBody(this.#codec!, msg.body, this.cfg.options.responseType, "stream message") as Rsp;
  }

  async closeSend(): Promise<void> {
    await this.#open();
    if (this.#sentEOS || this.#closed) return;
    const ours = this.#node?.metadata?.[NODE_MARKER] !== undefined;
    // a go-micro server ends a half-closed stream only by closing the connection: the transport
    // must show that (it says so itself) before we can rely on it
    if (!ours && !this.#closeVisible) throw this.#halfCloseUnsupported();
    this.#sentEOS = true;
    await this.#write(new Uint8Array(0), EOS_HEADER);
    if (!ours && !this.#done && !this.#closed) this.#scheduleProbe(PROBE_FIRST_MS);
  }

  #halfCloseUnsupported(): MicroError {
    const node = this.#node!;
    const direct = this.cfg.options.address !== undefined;
    const who = direct
      ? `the server at ${node.address} may be a go-micro server (a direct address has no registry record to say it is ours)`
      : `${this.cfg.service} node ${node.id} is a go-micro server (its registry record has no ${NODE_MARKER} key)`;
    return new MicroError(
      "go.micro.client",
      `closeSend: ${who}: go-micro servers send no end of stream after a half-close (the handler sees EOF and returns without a word), ` +
        `and the ${this.#transport} transport does not show the server closing, so the stream could never end; ` +
        "use close() to end the stream both ways" +
        (direct ? ", or reach the service through the registry" : ""),
      501,
    );
  }

  /** Repeats the EOS until the server answers it (see the top of this file). */
  #scheduleProbe(delay: number): void {
    this.#probe = setTimeout(() => {
      this.#probe = undefined;
      if (this.#done || this.#closed || this.#socket!.closed) return;
      this.#probed = true;
      this.#write(new Uint8Array(0), EOS_HEADER).then(
        () => this.#scheduleProbe(Math.min(delay * 2, PROBE_MAX_MS)),
        () => {}, // the connection is gone: recv() reports how
      );
    }, delay);
    this.#probe.unref();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#probe);
    if (!this.#opening) return;
    try {
      await this.#opening;
    } catch {
      return;
    }
    const socket = this.#socket!;
    if (!this.#sentEOS && !socket.closed) {
      this.#sentEOS = true;
      await this.#write(new Uint8Array(0), EOS_HEADER).catch(() => {});
    }
    await socket.close().catch(() => {});
  }

  [Symbol.asyncIterator](): AsyncIterator<Rsp> {
    return {
      next: async () => {
        const v = await this.recv();
        return v === undefined ? { value: undefined as never, done: true } : { value: v, done: false };
      },
      return: async () => {
        await this.close();
        return { value: undefined as never, done: true };
      },
    };
  }
}
