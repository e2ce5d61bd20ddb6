import type { MessageType } from "../codec.js";
import type { MetadataInit } from "../metadata.js";
import type { Node } from "../registry.js";
import type { SelectOptions } from "../selector.js";
import type { ResponseType } from "./body.js";

export interface CallOptions {
  /** Whole-call timeout in ms, retries included (go-micro RequestTimeout, default 30 s). */
  timeout?: number;
  /** Per-attempt timeout in ms, also sent as the `Timeout` header (go-micro ConnectionTimeout, default 5 s). */
  attemptTimeout?: number;
  /** Dial timeout in ms (default 5 s). */
  dialTimeout?: number;
  /** Extra attempts after the first (default 5). */
  retries?: number;
  /** Delay before attempt `n` (n >= 1), in ms. */
  backoff?: (attempt: number) => number;
  /** Whether to retry after `error` (default: go-micro's rule, 408 only, plus failed dials). */
  retry?: (error: unknown, attempt: number) => boolean;
  /**
   * `false`: the call must not run twice, so it is retried only when its request never left (a
   * failed dial), never after a timeout. `true`: running it twice is harmless, so beyond go-micro's
   * retries it is also retried on another node when the connection breaks after the request left
   * (the node died mid-call: EOF, connection reset), within the call's deadline and `retries`.
   * Default: what the endpoint advertises in the registry (endpoint metadata `idempotent: "false"`
   * or `"true"`, read from the selector's records), else go-micro's rules (408s and failed dials
   * retried, a broken connection not).
   */
  idempotent?: boolean;
  metadata?: MetadataInit;
  /** Default: --client_content_type, else the default codec's. */
  contentType?: string;
  /** Call these addresses directly instead of asking the selector. */
  address?: string | string[];
  select?: SelectOptions;
  signal?: AbortSignal;
  /** Message types for codecs that need them (protobuf). */
  requestType?: MessageType;
  /** A message type, or `Frame` to get the reply bytes untouched (a gateway passing them on). */
  responseType?: ResponseType;
}

export interface PublishMessageOptions {
  metadata?: MetadataInit;
  contentType?: string;
  messageType?: MessageType;
  signal?: AbortSignal;
}

export interface Request {
  service: string;
  endpoint: string;
  body: unknown;
  contentType: string;
}

/** One attempt against one node; what call wrappers wrap. */
export type CallFunc = (node: Node, request: Request, options: CallOptions) => Promise<unknown>;
export type CallWrapper = (next: CallFunc) => CallFunc;

export interface ClientStream<Req = unknown, Rsp = unknown> extends AsyncIterable<Rsp> {
  /** Sends one message; opens the stream first if needed. */
  send(message: Req): Promise<void>;
  /** The next message, or undefined at the end of the stream. */
  recv(): Promise<Rsp | undefined>;
  /** Tells the server we are done sending (an EOS frame) and keeps receiving. */
  closeSend(): Promise<void>;
  /** Ends the stream both ways: sends EOS and closes the connection. */
  close(): Promise<void>;
}

export interface Client {
  /**
   * Calls `endpoint` (`Handler.Method`) of `service`. The type parameters are the response first,
   * then the request: `client.call<HelloRsp>("greeter", "Greeter.Hello", { name })`.
   */
  call<Rsp = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request: Req,
    options?: CallOptions,
  ): Promise<Rsp>;
  /**
   * Opens a stream; with `request` the first message is sent for you (server streaming). The type
   * parameters are the response first, then the request, as for call().
   */
  stream<Rsp = unknown, Req = unknown>(
    service: string,
    endpoint: string,
    request?: Req,
    options?: CallOptions,
  ): ClientStream<Req, Rsp>;
  publish<T = unknown>(topic: string, message: T, options?: PublishMessageOptions): Promise<void>;
  close(): Promise<void>;
}

export type ClientWrapper = (client: Client) => Client;
