// The options `micro api`, `micro server` and `micro sidecar` share, and their translation into
// the gateway's options. Secrets may come from the environment so they stay out of `ps`.
import { parseDuration } from "@micro/core/plugin-kit";
import type { SidecarOptions } from "@micro/gateway";
import { type OptionSpec, UsageError } from "../args.js";
import type { Runtime } from "../command.js";

/** The shared options, with the command's default listen address in the help. */
export function gatewayOptionSpecs(defaultAddress: string): OptionSpec[] {
  return [
    {
      name: "address",
      type: "string",
      description: `Address to listen on, host:port (default ${defaultAddress})`,
    },
    ...GATEWAY_OPTIONS,
  ];
}

const GATEWAY_OPTIONS: OptionSpec[] = [
  {
    name: "max-body",
    type: "string",
    description: "Largest request body or WebSocket message, e.g. 4MiB (default 4MiB)",
  },
  { name: "timeout", type: "string", description: "Per-request call timeout, e.g. 30s (default 30s)" },
  { name: "cors", type: "list", description: "Allow browser calls from this origin (repeatable; * for any)" },
  { name: "tls-cert-file", type: "string", description: "Serve HTTPS with this certificate (PEM)" },
  { name: "tls-key-file", type: "string", description: "The certificate's private key (PEM)" },
  {
    name: "tls-client-ca-file",
    type: "string",
    description: "Require client certificates signed by this CA",
  },
  {
    name: "auth-secret",
    type: "string",
    description: "Require JWTs signed with this HMAC secret (or $MICRO_AUTH_SECRET)",
  },
  {
    name: "auth-public-key",
    type: "string",
    description:
      "Require JWTs signed by this public key, a PEM file (go-micro's ~/micro/keys/public.pem works)",
  },
  { name: "rate-limit", type: "string", description: "Requests per second per client address (default off)" },
  { name: "rate-burst", type: "string", description: "Burst above the rate (default: the rate)" },
  { name: "max-connections", type: "string", description: "Open connections at most (default 10000)" },
  { name: "access-log", type: "bool", description: "Log one line per request" },
];

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1 << 20,
  g: 1e9,
  gb: 1e9,
  gib: 1 << 30,
};

export function parseSize(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined)
    throw new UsageError(`--${flag} wants a size like 1048576, 512KiB or 4MiB, got "${value}"`);
  return Math.floor(Number(m[1]) * unit);
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${flag} wants a positive number, got "${value}"`);
  return n;
}

function duration(value: string, flag: string): number {
  try {
    return parseDuration(value, "s");
  } catch {
    throw new UsageError(`--${flag} wants a duration like 30s or 500ms, got "${value}"`);
  }
}

/** Gateway options from the command line; the mesh comes from the CLI's service. */
export async function gatewayOptions(rt: Runtime, defaults: SidecarOptions = {}): Promise<SidecarOptions> {
  const o = rt.args.options;
  const str = (name: string) => o[name] as string | undefined;
  const out: SidecarOptions = { ...defaults, service: rt.service() };
  const address = str("address") ?? process.env.MICRO_API_ADDRESS;
  if (address) out.address = address;
  if (str("max-body")) out.maxBodyBytes = parseSize(str("max-body")!, "max-body");
  if (str("timeout")) out.timeout = duration(str("timeout")!, "timeout");
  const cors = o.cors as string[] | undefined;
  if (cors?.length) out.cors = { origins: cors.flatMap((c) => c.split(",")).map((c) => c.trim()) };
  const cert = str("tls-cert-file");
  const key = str("tls-key-file");
  if (Boolean(cert) !== Boolean(key)) throw new UsageError("--tls-cert-file and --tls-key-file go together");
  if (cert && key)
    out.tls = { cert, key, ...(str("tls-client-ca-file") ? { ca: str("tls-client-ca-file")! } : {}) };
  const secret = str("auth-secret") ?? process.env.MICRO_AUTH_SECRET;
  const publicKeyFile = str("auth-public-key") ?? process.env.MICRO_AUTH_PUBLIC_KEY;
  if (secret || publicKeyFile) {
    const { createJwtAuth } = await import("@micro/gateway");
    out.auth = createJwtAuth(secret ? { secret } : { publicKeyFile: publicKeyFile! });
  }
  if (str("rate-limit")) {
    const rate = positive(str("rate-limit")!, "rate-limit");
    out.rateLimit = {
      rate,
      ...(str("rate-burst") ? { burst: positive(str("rate-burst")!, "rate-burst") } : {}),
    };
  }
  if (str("max-connections")) out.maxConnections = positive(str("max-connections")!, "max-connections");
  if (o["access-log"]) out.accessLog = true;
  return out;
}
