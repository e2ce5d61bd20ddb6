// What an HttpTransport can be configured with, and the defaults go-micro uses.
import type { Logger, TLSOptions } from "@micro/core";

/** Largest message body accepted (go-micro's default client/server message size). */
export const DEFAULT_MAX_MESSAGE_SIZE = 32 * 1024 * 1024;
/** Largest request/response header block, like Go's http.DefaultMaxHeaderBytes. */
export const DEFAULT_MAX_HEADER_SIZE = 1024 * 1024;
/** go-micro's transport.DefaultDialTimeout. */
export const DEFAULT_DIAL_TIMEOUT = 5_000;

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
  logger?: Logger | undefined;
}

/** The options every socket of one transport shares, with defaults filled in. */
export interface SocketSettings {
  maxMessageSize: number;
  maxHeaderSize: number;
  timeout: number;
  logger: Logger;
}
