// @micro/core: the interfaces, the service lifecycle, errors, the plugin registration API and the
// logger interface. What plugin authors need beyond that is in "@micro/core/plugin-kit"; what the
// repository's own tools share is in "@micro/core/internal" (no compatibility promise).

/** @module @micro/core */
export type {
  Broker,
  BrokerEvent,
  BrokerHandler,
  BrokerMessage,
  BrokerSubscription,
  BrokerTLSOptions,
  PublishOptions,
  SubscribeOptions,
} from "./broker.js";
export type { ResponseType } from "./client/body.js";
export type {
  CallFunc,
  CallOptions,
  CallWrapper,
  Client,
  ClientStream,
  ClientWrapper,
  PublishMessageOptions,
  Request,
} from "./client/types.js";
export { type Codec, Frame, type MessageType } from "./codec.js";
export type { Config, CoreConfig } from "./config/core-flags.js";
export type { FlagSpec, FlagType, FlagValueTypes } from "./config/flag-spec.js";
export type { Context } from "./context.js";
export { isMicroError, MicroError, type MicroErrorJSON } from "./errors.js";
export {
  createLogger,
  getLogger,
  type LogFields,
  type LogFormat,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  setLogger,
  silentLogger,
  withFields,
} from "./logger.js";
export { Metadata, type MetadataInit } from "./metadata.js";
export { MicroErrorCode, PluginError } from "./plugin/plugin-error.js";
export {
  getPlugin,
  listPlugins,
  type PluginContext,
  type PluginDefinition,
  type PluginKind,
  type PluginKinds,
  type RegisteredPlugin,
  registerPlugin,
} from "./plugin/table.js";
export type {
  Endpoint,
  Node,
  RegisterOptions,
  Registry,
  RegistryAction,
  RegistryEvent,
  Service,
  Value,
  Watcher,
  WatchOptions,
} from "./registry.js";
export type { Filter, Next, SelectOptions, Selector, Strategy } from "./selector.js";
export type {
  EndpointOptions,
  HandlerCall,
  HandlerFunc,
  HandlerMethod,
  HandlerMethods,
  HandlerObject,
  HandlerOptions,
  HandlerWrapper,
  StreamKind,
  SubscriberFunc,
  SubscriberOptions,
  SubscriberWrapper,
} from "./server/types.js";
export {
  createClient,
  createFunction,
  createService,
  type Hook,
  MicroService,
  type ServiceOptions,
} from "./service.js";
export type {
  DialOptions,
  Listener,
  ListenOptions,
  Socket,
  TLSOptions,
  Transport,
  TransportMessage,
} from "./transport.js";
