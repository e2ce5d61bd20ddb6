// Option resolution with go-micro's names and one precedence: code option < MICRO_* env < --flag.
import { MicroErrorCode, PluginError } from "./plugin-error.js";
import type { FlagSpec } from "./plugins.js";

export const CORE_FLAGS: readonly FlagSpec[] = [
  {
    name: "registry",
    description: "Registry for discovery: mdns, memory, etcd, consul, nats, kubernetes",
    default: "mdns",
  },
  { name: "registry_address", description: "Comma-separated registry addresses" },
  { name: "broker", description: "Broker for pub/sub: http, memory, nats, kafka, rabbitmq", default: "http" },
  { name: "broker_address", description: "Comma-separated broker addresses" },
  { name: "transport", description: "Transport for RPC: http, nats", default: "http" },
  { name: "transport_address", description: "Comma-separated transport addresses" },
  { name: "selector", description: "Node selection strategy: random, roundrobin", default: "random" },
  { name: "server_name", description: "Name of the service" },
  { name: "server_version", description: "Version of the service" },
  { name: "server_id", description: "Id of the server (default: a random UUID)" },
  { name: "server_address", description: "Bind address for the server, e.g. 127.0.0.1:8080 (default :0)" },
  { name: "server_advertise", description: "Address to advertise in the registry" },
  { name: "server_metadata", description: "Comma-separated key=value pairs added to node metadata" },
  { name: "register_ttl", description: "Registration TTL in seconds", default: "60" },
  { name: "register_interval", description: "Re-registration interval in seconds", default: "30" },
  { name: "client_retries", description: "Retries per call (only 408s are retried)", default: "5" },
  {
    name: "client_request_timeout",
    description: "Whole-call timeout, Go duration (e.g. 30s)",
    default: "30s",
  },
  { name: "client_pool_size", description: "Connections kept per address", default: "100" },
  { name: "client_pool_ttl", description: "Lifetime of a pooled connection, Go duration", default: "1m" },
  {
    name: "client_content_type",
    description: "Content-Type of calls and publications",
    default: "application/json",
  },
  { name: "tls_cert_file", env: "MICRO_TLS_CERT_FILE", description: "PEM certificate for TLS listeners" },
  { name: "tls_key_file", env: "MICRO_TLS_KEY_FILE", description: "PEM key for TLS listeners" },
  { name: "tls_ca_file", env: "MICRO_TLS_CA_FILE", description: "PEM CA bundle to verify peers" },
  {
    name: "tls_secure",
    env: "MICRO_TLS_SECURE",
    description: "Verify TLS certificates when dialing (true/false)",
  },
];

export function envName(spec: FlagSpec): string {
  return spec.env ?? `MICRO_${spec.name.toUpperCase()}`;
}

export interface ResolveSources {
  /** Values given in code (keys are flag names). */
  options?: Record<string, string | number | boolean | undefined>;
  env?: Record<string, string | undefined>;
  argv?: readonly string[];
}

/** Parses `--name=value`, `--name value`, `--bool` (and `-` for `_`) for the known flags. */
export function parseArgv(argv: readonly string[], specs: readonly FlagSpec[]): Record<string, string> {
  const known = new Map(specs.map((s) => [s.name, s]));
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--") || a === "--") continue;
    const eq = a.indexOf("=");
    const raw = (eq >= 0 ? a.slice(2, eq) : a.slice(2)).replaceAll("-", "_");
    if (!known.has(raw)) continue;
    if (eq >= 0) out[raw] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) out[raw] = argv[++i]!;
    else out[raw] = "true";
  }
  return out;
}

export function resolveFlags(
  specs: readonly FlagSpec[],
  sources: ResolveSources = {},
): Record<string, string | undefined> {
  const env = sources.env ?? process.env;
  const argv = parseArgv(sources.argv ?? process.argv.slice(2), specs);
  const out: Record<string, string | undefined> = {};
  for (const spec of specs) {
    const code = sources.options?.[spec.name];
    out[spec.name] =
      argv[spec.name] ??
      env[envName(spec)] ??
      (code === undefined ? undefined : String(code)) ??
      spec.default;
  }
  return out;
}

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * A Go duration string ("300ms", "1m30s") in ms; a bare number is read in `bareUnit`
 * (seconds for go-micro's register_ttl, ms elsewhere in this API).
 */
export function parseDuration(value: string | number, bareUnit: "s" | "ms" = "ms"): number {
  if (typeof value === "number") return bareUnit === "s" ? value * 1000 : value;
  const v = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v) * (bareUnit === "s" ? 1000 : 1);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== v.length || v.length === 0) {
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      `invalid duration "${value}" (expected e.g. 500ms, 5s, 1m)`,
    );
  }
  return total;
}

export function splitList(v: string | undefined): string[] {
  return v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** `a=b,c=d` -> {a: "b", c: "d"} */
export function parseKeyValues(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of splitList(v)) {
    const i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

export function usage(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const d = s.default ? ` (default ${s.default})` : "";
    return `  --${s.name.padEnd(26)} ${s.description}${d} [$${envName(s)}]`;
  });
  return rows.join("\n");
}
