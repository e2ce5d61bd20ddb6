// Connecting with go-micro's behaviour in mind: a server that is down at start is an error the
// caller sees within seconds (a few attempts with backoff, then a MicroError naming the servers);
// once connected, the client reconnects forever and re-subscribes by itself, because a service
// outlives NATS restarts.
import { MicroError, type TLSOptions } from "@micro/core";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect, type NodeConnectionOptions } from "@nats-io/transport-node";
import { redact, splitCredentials } from "./addresses.js";

export const ERROR_ID = "go.micro.registry";

export interface ConnectSettings {
  servers: string[];
  tls?: TLSOptions;
  /** Connection attempts before giving up at start (default 3). */
  attempts: number;
  /** Handshake timeout of one attempt in ms. */
  timeout: number;
  name?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const pem = (v: unknown): string | undefined => {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  if (Array.isArray(v))
    return (
      v
        .map(pem)
        .filter((x) => x !== undefined)
        .join("\n") || undefined
    );
  return undefined;
};

function tlsOptions(tls: TLSOptions): NodeConnectionOptions["tls"] {
  const out: NonNullable<NodeConnectionOptions["tls"]> = {};
  const ca = pem(tls.ca);
  const cert = pem(tls.cert);
  const key = pem(tls.key);
  if (ca) out.ca = ca;
  if (cert) out.cert = cert;
  if (key) out.key = key;
  // go-micro dials TLS without verification unless MICRO_TLS_SECURE=true
  if (tls.insecureSkipVerify) out.rejectUnauthorized = false;
  return out;
}

export async function connectNats(s: ConnectSettings): Promise<NatsConnection> {
  const { servers, credentials } = splitCredentials(s.servers);
  const options: NodeConnectionOptions = {
    ...credentials,
    servers,
    name: s.name,
    timeout: s.timeout,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
  };
  if (s.tls) options.tls = tlsOptions(s.tls);
  let last: unknown;
  for (let attempt = 1; attempt <= s.attempts; attempt++) {
    try {
      return await connect(options);
    } catch (err) {
      last = err;
      if (attempt < s.attempts) await sleep(100 * 2 ** (attempt - 1));
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new MicroError(
    ERROR_ID,
    `nats registry: cannot connect to nats at ${s.servers.map(redact).join(", ")} after ${s.attempts} attempts (${reason})`,
    503,
    undefined,
    { cause: last },
  );
}
