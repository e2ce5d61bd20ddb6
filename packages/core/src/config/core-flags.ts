// Core's own flags, with go-micro's names. Which registry, broker, transport, selector and content
// type are used when none is chosen is said by the plugins themselves (`default: true` in their
// registration), so no plugin name appears here.
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "../logger.js";
import type { FlagSpec } from "./flag-spec.js";

export const CORE_FLAGS = [
  { name: "registry", description: "Registry for discovery, by plugin name (see Plugins below)" },
  { name: "registry_address", type: "list", description: "Comma-separated registry addresses" },
  { name: "broker", description: "Broker for pub/sub, by plugin name" },
  { name: "broker_address", type: "list", description: "Comma-separated broker addresses" },
  { name: "transport", description: "Transport for RPC, by plugin name" },
  { name: "transport_address", type: "list", description: "Comma-separated transport addresses" },
  { name: "selector", description: "Node selection strategy, by plugin name" },
  { name: "server_name", description: "Name of the service" },
  { name: "server_version", description: "Version of the service" },
  { name: "server_id", description: "Id of the server (default: a random UUID)" },
  { name: "server_address", description: "Bind address for the server, e.g. 127.0.0.1:8080 (default :0)" },
  { name: "server_advertise", description: "Address to advertise in the registry" },
  {
    name: "server_metadata",
    type: "map",
    description: "Comma-separated key=value pairs added to node metadata",
  },
  {
    name: "server_hide_errors",
    type: "bool",
    description:
      "Answer an unexpected handler error (not a MicroError) with a generic 500 naming the request, not its text",
    default: false,
  },
  {
    name: "server_workers",
    type: "int",
    min: 1,
    description:
      "Processes serving the node (node:cluster): the primary registers one node, workers share its port",
    default: 1,
  },
  {
    name: "register_ttl",
    type: "duration",
    unit: "s",
    description: "Registration TTL: a duration (90s, 2m) or seconds",
    default: 60_000,
  },
  {
    name: "register_interval",
    type: "duration",
    unit: "s",
    description: "Re-registration interval: a duration or seconds",
    default: 30_000,
  },
  {
    name: "client_retries",
    type: "int",
    description: "Retries per call (only 408s are retried)",
    default: 5,
  },
  {
    name: "client_request_timeout",
    type: "duration",
    description: "Whole-call timeout, a duration (e.g. 30s)",
    default: 30_000,
  },
  {
    name: "client_attempt_timeout",
    type: "duration",
    description: "Timeout of each attempt within a call, a duration",
    default: 5_000,
  },
  {
    name: "client_dial_timeout",
    type: "duration",
    description: "Timeout of dialing a node, a duration",
    default: 5_000,
  },
  { name: "client_pool_size", type: "int", description: "Connections kept per address", default: 100 },
  {
    name: "client_pool_ttl",
    type: "duration",
    description: "Lifetime of a pooled connection, a duration",
    default: 60_000,
  },
  {
    name: "client_content_type",
    description: "Content-Type of calls and publications (default: the default codec's)",
  },
  {
    name: "tls_cert_file",
    description: "PEM certificate: TLS listeners serve it, TLS connections out present it (turns TLS on)",
  },
  { name: "tls_key_file", description: "PEM key of --tls_cert_file" },
  {
    name: "tls_ca_file",
    description: "PEM CA bundle to verify peers with instead of the system's CA store (turns TLS on)",
  },
  {
    name: "tls_secure",
    type: "bool",
    description:
      "go-micro v5's opt-in: true turns TLS on, verified (against the system's CA store without --tls_ca_file); false is --tls_insecure",
  },
  {
    name: "tls_insecure",
    type: "bool",
    description:
      "Skip TLS certificate verification (go-micro v6's opt-out; self-signed development certificates only)",
    default: false,
  },
  { name: "debug", type: "bool", description: "Print stack traces with start-up errors", default: false },
  {
    name: "log_level",
    description: `Lowest level logged: ${LOG_LEVELS.join(", ")} (debug: every call, plugin choices, registrations)`,
    values: LOG_LEVELS,
    default: "info",
  },
  {
    name: "log_format",
    description: "Log lines as text, or json (one object per line)",
    values: LOG_FORMATS,
    default: "text",
  },
] as const satisfies readonly FlagSpec[];

/** Core's options after resolution: every flag in its type, defaults applied. Durations in ms. */
export interface CoreConfig {
  registry?: string;
  registry_address: string[];
  broker?: string;
  broker_address: string[];
  transport?: string;
  transport_address: string[];
  selector?: string;
  server_name?: string;
  server_version?: string;
  server_id?: string;
  server_address?: string;
  server_advertise?: string;
  server_metadata: Record<string, string>;
  server_hide_errors: boolean;
  /** Processes serving the node: 1 serves in this process; more fork workers (see workers/). */
  server_workers: number;
  register_ttl: number;
  register_interval: number;
  client_retries: number;
  client_request_timeout: number;
  client_attempt_timeout: number;
  client_dial_timeout: number;
  client_pool_size: number;
  client_pool_ttl: number;
  client_content_type?: string;
  tls_cert_file?: string;
  tls_key_file?: string;
  tls_ca_file?: string;
  /** Unset unless given: `true` turns TLS on (verified), `false` is the same as `tls_insecure`. */
  tls_secure?: boolean;
  tls_insecure: boolean;
  debug: boolean;
  log_level: LogLevel;
  log_format: LogFormat;
}

/** Every resolved option by flag name: core's typed, plugins' as their specs say. */
export type Config = CoreConfig & Readonly<Record<string, unknown>>;
