// What an HttpTransport can be configured with, and the defaults go-micro uses.
import type { Logger, TLSOptions } from "@micro/core";
import type { BodyBudget } from "./body-budget.js";

/** Largest message body accepted (go-micro's default client/server message size). */
export const DEFAULT_MAX_MESSAGE_SIZE = 32 * 1024 * 1024;
/** Largest request/response header block, like Go's http.DefaultMaxHeaderBytes. */
export const DEFAULT_MAX_HEADER_SIZE = 1024 * 1024;
/** go-micro's transport.DefaultDialTimeout. */
export const DEFAULT_DIAL_TIMEOUT = 5_000;
/**
 * How long a request's header block may take from its first byte (go-micro's server sets Go's
 * ReadHeaderTimeout to 5 s; twice that here, so a peer on a slow link is never cut off).
 */
export const DEFAULT_READ_HEADER_TIMEOUT = 10_000;
/**
 * How long an accepted connection may wait for its next request with everything answered. Longer than
 * any client pool keeps an idle connection (go-micro's and ours: 1 min from creation), so a pooled
 * connection is never closed under a call that is about to reuse it.
 */
export const DEFAULT_IDLE_TIMEOUT = 5 * 60_000;
/** Transport-wide cap on request body bytes held: 8 bodies of go-micro's largest size. */
export const DEFAULT_MAX_BODY_BYTES_IN_FLIGHT = 256 * 1024 * 1024;

export interface HttpTransportOptions {
  /**
   * Listeners serve TLS when `cert` and `key` (or `pfx`) are given; dialed sockets use TLS whenever
   * `tls` is set, verifying the peer unless `insecureSkipVerify`.
   */
  tls?: TLSOptions | undefined;
  /** Largest message body in bytes, either direction (default 32 MiB). Larger frames get a 413. */
  maxMessageSize?: number | undefined;
  /** Largest header block in bytes (default 1 MiB). */
  maxHeaderSize?: number | undefined;
  /**
   * Read/write deadline in ms for each recv() and send() (go-micro's transport Timeout). 0 or unset:
   * none, so idle keep-alive connections live as long as their owners want.
   */
  timeout?: number | undefined;
  /**
   * Accepted connections: ms a request's header block may take from its first byte, and a new
   * connection until its first byte (Go's ReadHeaderTimeout; default 10 s, 0 = none). Expiry answers
   * 408 and closes. Also the TLS handshake timeout of a TLS listener.
   */
  readHeaderTimeout?: number | undefined;
  /**
   * Accepted connections: ms one may stay silent while everything it sent is answered (Go's
   * IdleTimeout; default 5 min, 0 = none), or in the middle of a request body. A connection carrying
   * a stream (`Micro-Stream`) is never idle: its owner closes it.
   */
  idleTimeout?: number | undefined;
  /**
   * Request body bytes all accepted connections of this transport may hold at once, from the header
   * that announces a body until recv() hands it over (default 256 MiB, at least maxMessageSize;
   * 0 = no cap). Beyond it, new bodies wait: their connections are not read until there is room.
   */
  maxBodyBytesInFlight?: number | undefined;
  /**
   * Connections one listener holds at once (default: the process's open-file limit less a tenth of
   * it, at least 64, where the limit can be read (Linux), else none; 0 = none). Beyond it a new
   * connection is answered 503 and closed, instead of the process running out of file descriptors
   * for everything else.
   */
  maxConnections?: number | undefined;
  logger?: Logger | undefined;
}

/** The options every socket of one transport shares, with defaults filled in. */
export interface SocketSettings {
  maxMessageSize: number;
  maxHeaderSize: number;
  timeout: number;
  readHeaderTimeout: number;
  idleTimeout: number;
  /** Shared by every accepted connection of the transport; undefined: no cap. */
  budget: BodyBudget | undefined;
  logger: Logger;
}
