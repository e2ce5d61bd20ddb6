// @micro/core/plugin-kit: what registries, brokers, transports and codecs share beyond the
// interfaces: go-micro's wire forms (registry JSON, broker envelope, legacy RPC envelope), address
// and duration helpers, the watcher queue, codec lookup and the optional transport fast path.

/** @module @micro/core/plugin-kit */
export { parseDuration, parseKeyValues, splitList } from "./config/parse.js";
export {
  type CodecHeader,
  type EnvelopeCodec,
  envelopeOf,
  MessageKind,
  type RpcEnvelope,
} from "./envelope.js";
export { advertiseAddress, advertiseHost, joinHostPort, splitHostPort } from "./kit/addr.js";
export { AsyncQueue } from "./kit/async-queue.js";
export { cloneService, type MergeOptions, mergeByVersion } from "./kit/services.js";
export { queueWatcher } from "./kit/watcher.js";
export { canonicalKey } from "./metadata.js";
export { findCodec, resolveCodec } from "./plugin/codecs.js";
export { type PackageInfo, packageInfo } from "./plugin/package-info.js";
export {
  type CallbackSocket,
  type CloseVisibleTransport,
  canMux,
  hasRecvInto,
  holdProcess,
  isUnprocessed,
  MUX_MARKER,
  type MuxDialOptions,
  type MuxTransport,
  markUnprocessed,
  muxConnections,
  type RefSocket,
  type RetiringSocket,
  reusable,
  showsPeerClose,
  usesMux,
  WORKERS_MARKER,
} from "./transport-fast.js";
export {
  decodeEnvelope,
  decodeEnvelopeBytes,
  EnvelopeError,
  encodeEnvelope,
  encodeEnvelopeBytes,
  parseEnvelope,
} from "./wire/broker-envelope.js";
export { bigintAsNumber, goEscape, goJSON } from "./wire/go-json.js";
export {
  encodeService,
  parseEndpoint,
  parseService,
  toGoEndpoint,
  toGoService,
} from "./wire/registry-json.js";
