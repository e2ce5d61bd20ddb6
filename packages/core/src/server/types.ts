import type { MessageType } from "../codec.js";
import type { Context } from "../context.js";
import type { Value } from "../registry.js";

export type StreamKind = "server" | "bidi";

export interface EndpointOptions {
  /** Message types for codecs that need them (protobuf) and for the registry schema. */
  requestType?: MessageType;
  responseType?: MessageType;
  /** Registry schema when there is no message type to derive it from. */
  request?: Value;
  response?: Value;
  /** Streaming kind. Async generator methods default to "server". */
  stream?: StreamKind;
  /** Extra endpoint metadata advertised in the registry. */
  metadata?: Record<string, string>;
  /**
   * `false`: running this method twice is harmful, so clients must not retry it once the request
   * may have reached the server. `true`: running it twice is harmless, so clients may retry it on
   * another node when a node dies mid-call. Advertised as endpoint metadata `idempotent: "false"` /
   * `"true"`, which our clients read through the selector (Go clients ignore it). Default: nothing
   * advertised (go-micro's retry rules).
   */
  idempotent?: boolean;
}

export interface HandlerOptions {
  /** Per-method options, keyed by method name as written in the handler object (`hello`). */
  endpoints?: Record<string, EndpointOptions>;
  /** Served but not advertised in the registry (go-micro InternalHandler). */
  internal?: boolean;
}

/** What a unary handler method looks like; a streaming one returns an AsyncIterable. */
export type HandlerFunc = (ctx: Context, request: unknown) => unknown;

/**
 * A handler method as written by an application: the request type is the method's to declare
 * (`async hello(ctx, req: HelloReq)`), the context is always a Context.
 */
export type HandlerMethod = (ctx: Context, request: any) => unknown;

/** An object literal of handler methods: each method's `ctx` is typed from here. */
export type HandlerMethods = Record<string, HandlerMethod>;

/** Any object (a class instance) whose function members are handler methods. */
export type HandlerObject<T> = {
  [K in keyof T]: T[K] extends (...args: any[]) => unknown ? HandlerMethod : T[K];
};

export interface HandlerCall {
  ctx: Context;
  endpoint: string;
  request: unknown;
}

/** Wraps unary handlers: `(next) => async (ctx, req) => next(ctx, req)`. */
export type HandlerWrapper = (next: HandlerFunc) => HandlerFunc;

export type SubscriberFunc<T = unknown> = (ctx: Context, message: T) => unknown;
export type SubscriberWrapper = (next: SubscriberFunc) => SubscriberFunc;

export interface SubscriberOptions {
  /** Queue group: each message goes to one member. */
  queue?: string;
  /** Ack when the handler resolves (default true). */
  autoAck?: boolean;
  /** Ask the broker for a durable subscription (where the backend has them); needs `queue`. */
  durable?: boolean;
  /** Message type for codecs that need one (protobuf) and for the registry schema. */
  messageType?: MessageType;
  /** Not advertised in the registry. */
  internal?: boolean;
}
