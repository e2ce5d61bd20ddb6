// A client stream on a dedicated connection (go-micro §2.8): an opening frame, then one request per
// message sent; responses until `Micro-Error: EOS`. close() sends EOS and drops the connection as Go
// does; closeSend() sends EOS but keeps reading (Go servers see io.EOF on Recv and may still reply).
import type { Codec } from "../codec.js";
import { resolveCodec } from "../codecs.js";
import { MicroError } from "../errors.js";
import { Metadata } from "../metadata.js";
import type { Next } from "../selector.js";
import type { Socket, TransportMessage } from "../transport.js";
import type { ClientDeps } from "./client.js";
import { dialError, transportError } from "./errors.js";
import { requestHeaders } from "./headers.js";
import type { CallOptions, ClientStream } from "./types.js";

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
    for (let attempt = 0; attempt <= cfg.retries && !this.#socket; attempt++) {
      const node = next();
      try {
        this.#socket = await deps.transport.dial(node.address, {
          stream: true,
          timeout: cfg.dialTimeout,
          signal: cfg.options.signal,
        });
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
    try {
      return this.#codec!.marshal(msg, this.cfg.options.requestType);
    } catch (err) {
      throw err instanceof MicroError ? err : MicroError.internal("go.micro.client.codec", String(err));
    }
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
    try {
      return this.#codec!.unmarshal<Rsp>(msg.body, this.cfg.options.responseType as never);
    } catch (err) {
      throw MicroError.internal(
        "go.micro.client.codec",
        `decoding stream message: ${err instanceof Error ? err.message : err}`,
      );
    }
  }

  async closeSend(): Promise<void> {
    await this.#open();
    if (this.#sentEOS || this.#closed) return;
    this.#sentEOS = true;
    await this.#write(new Uint8Array(0), { "Micro-Error": "EOS" });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    if (!this.#opening) return;
    try {
      await this.#opening;
    } catch {
      return;
    }
    const socket = this.#socket!;
    if (!this.#sentEOS && !socket.closed) {
      this.#sentEOS = true;
      await this.#write(new Uint8Array(0), { "Micro-Error": "EOS" }).catch(() => {});
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
