export { type Credentials, DEFAULT_URL, normalizeServers, redact, splitCredentials } from "./addresses.js";
export { type ConnectSettings, connectNats, type NatsClientOptions, openNats } from "./connect.js";
export { LazyConnection } from "./lazy.js";
export { currentLink, tracksLink } from "./link.js";
export { Outbox, type OutboxOptions, RECONNECT_BUFFER_SIZE } from "./outbox.js";
export { natsTLS } from "./tls.js";
