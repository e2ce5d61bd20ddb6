// go-micro's default transport: one HTTP/1.1 message per transport message on a persistent connection
// (https://github.com/micro/go-micro/blob/v5.30.0/transport/http_transport.go).
// Wire-compatible with Go services both ways.

import {
  createLogger,
  type DialOptions,
  type Listener,
  type ListenOptions,
  type Socket,
  type TLSOptions,
  type Transport,
} from "@micro/core";
import type { CloseVisibleTransport, MuxDialOptions, MuxTransport } from "@micro/core/plugin-kit";
import { BodyBudget } from "./body-budget.js";
import { ClientSocket } from "./client-socket.js";
import { connect } from "./dial.js";
import { defaultMaxConnections, openFileLimit } from "./fd-limit.js";
import { HttpListener } from "./listener.js";
import { MuxDialer } from "./mux-dialer.js";
import {
  DEFAULT_IDLE_TIMEOUT,
  DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_MESSAGE_SIZE,
  DEFAULT_READ_HEADER_TIMEOUT,
  type HttpTransportOptions,
  type SocketSettings,
} from "./options.js";

export class HttpTransport implements Transport, CloseVisibleTransport, MuxTransport {
  readonly name = "http";
  /** A TCP connection: the client sees the server closing it (go-micro ends half-closed streams so). */
  readonly closeVisible = true;
  readonly #tls: TLSOptions | undefined;
  readonly #settings: SocketSettings;
  readonly #maxConnections: number;
  readonly #listeners = new Set<HttpListener>();
  #mux: MuxDialer | undefined;

  constructor(options: HttpTransportOptions = {}) {
    this.#tls = options.tls;
    const maxMessageSize = positive(options.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE, "maxMessageSize");
    const cap = atLeastZero(
      options.maxBodyBytesInFlight,
      DEFAULT_MAX_BODY_BYTES_IN_FLIGHT,
      "maxBodyBytesInFlight",
    );
    this.#settings = {
      maxMessageSize,
      maxHeaderSize: positive(options.maxHeaderSize, DEFAULT_MAX_HEADER_SIZE, "maxHeaderSize"),
      timeout: options.timeout ?? 0,
      readHeaderTimeout: atLeastZero(
        options.readHeaderTimeout,
        DEFAULT_READ_HEADER_TIMEOUT,
        "readHeaderTimeout",
      ),
      idleTimeout: atLeastZero(options.idleTimeout, DEFAULT_IDLE_TIMEOUT, "idleTimeout"),
      // one message of the largest size must always fit
      budget: cap > 0 ? new BodyBudget(Math.max(cap, maxMessageSize)) : undefined,
      logger: options.logger ?? createLogger(undefined, "transport-http"),
    };
    this.#maxConnections =
      options.maxConnections === undefined
        ? defaultMaxConnections(openFileLimit())
        : atLeastZero(options.maxConnections, 0, "maxConnections");
  }

  get options(): Readonly<Omit<SocketSettings, "budget">> & {
    readonly tls: TLSOptions | undefined;
    readonly maxBodyBytesInFlight: number;
    readonly maxConnections: number;
  } {
    const { budget, ...settings } = this.#settings;
    return {
      ...settings,
      maxBodyBytesInFlight: budget?.limit ?? 0,
      maxConnections: this.#maxConnections,
      tls: this.#tls,
    };
  }

  /** Request body bytes held now by the accepted connections (see maxBodyBytesInFlight). */
  get bodyBytesInFlight(): number {
    return this.#settings.budget?.used ?? 0;
  }

  async listen(address: string, options?: ListenOptions): Promise<Listener> {
    const listener: HttpListener = await HttpListener.listen(
      address,
      this.#settings,
      this.#tls,
      this.#maxConnections,
      options,
      () => this.#listeners.delete(listener),
    );
    this.#listeners.add(listener);
    return listener;
  }

  async dial(address: string, options: DialOptions = {}): Promise<Socket> {
    const conn = await connect(address, { tls: this.#tls, timeout: options.timeout, signal: options.signal });
    return new ClientSocket(conn, address, this.#settings, options.connClose ?? false);
  }

  /**
   * A socket multiplexed with others on one connection to `address`: only towards a node of ours that
   * advertises it (core's client checks the `micro-ts-mux` node metadata; a go-micro server would
   * not understand the connection's preface).
   */
  dialMux(address: string, options: MuxDialOptions = {}): Promise<Socket> {
    this.#mux ??= new MuxDialer(this.#settings, this.#tls);
    return this.#mux.dial(address, options);
  }

  /**
   * Closes the listeners this transport opened and the connections its multiplexed sockets share
   * (the transport owns those); dialed sockets stay with their owners.
   */
  async close(): Promise<void> {
    await Promise.all([...this.#listeners].map((l) => l.close()));
    await this.#mux?.close();
  }
}

function atLeastZero(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`HttpTransport: ${name} must be a non-negative number, got ${value}`);
  }
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`HttpTransport: ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
