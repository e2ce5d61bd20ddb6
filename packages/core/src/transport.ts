// Transport: moves header+body messages between two sockets. The RPC layer above it decides what the
// headers mean (go-micro's Micro-* set); a transport only frames them.
import type { SecureContextOptions } from "node:tls";

export interface TransportMessage {
  header: Record<string, string>;
  body: Uint8Array;
}

export interface Socket {
  /** Queues one message; resolves once it is handed to the OS (back-pressure aware). */
  send(message: TransportMessage): Promise<void>;
  /**
   * The next message. Rejects with a MicroError once the peer closes (detail "EOF"), on a malformed
   * or oversized frame, or on timeout.
   */
  recv(): Promise<TransportMessage>;
  close(): Promise<void>;
  readonly local: string;
  readonly remote: string;
  readonly closed: boolean;
}

export interface Listener {
  /** The bound host:port. */
  addr(): string;
  /** Calls `handler` for every accepted connection until closed. */
  accept(handler: (socket: Socket) => void): void;
  /** Stops accepting; open sockets stay until their owners close them. */
  close(): Promise<void>;
}

export interface TLSOptions extends SecureContextOptions {
  /**
   * Skip certificate verification when dialing. The service's flags set it false unless
   * `--tls_insecure` (MICRO_TLS_INSECURE, go-micro v6's opt-out) or `--tls_secure=false`: peers
   * are verified by default, as in go-micro v6 (v5 skipped verification unless MICRO_TLS_SECURE=true).
   */
  insecureSkipVerify?: boolean;
  servername?: string;
}

export interface DialOptions {
  /** The socket will carry a stream (several messages each way) rather than unary calls. */
  stream?: boolean;
  /** Dial timeout in ms (go-micro default 5 s). */
  timeout?: number;
  signal?: AbortSignal;
  /** Ask the server to close after replying (`Connection: close`). */
  connClose?: boolean;
}

export interface ListenOptions {
  signal?: AbortSignal;
}

export interface Transport {
  readonly name: string;
  listen(address: string, options?: ListenOptions): Promise<Listener>;
  dial(address: string, options?: DialOptions): Promise<Socket>;
  close?(): Promise<void>;
}
