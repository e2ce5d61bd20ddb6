export { type Credentials, DEFAULT_URL, normalizeServers, redact, splitCredentials } from "./addresses.js";
export { type ConnectSettings, connectNats } from "./connect.js";
export { Outbox } from "./outbox.js";
export { natsTLS } from "./tls.js";
