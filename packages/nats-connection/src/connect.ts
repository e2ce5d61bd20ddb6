// Connecting: a server that is down at start is an error the caller sees within seconds (a few
// attempts, then a MicroError naming the servers). Once connected the client reconnects forever,
// with capped exponential backoff, and re-subscribes by itself: a service outlives NATS restarts.
import { MicroError, type TLSOptions } from "@micro/core";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect, type NodeConnectionOptions } from "@nats-io/transport-node";
import { redact, splitCredentials } from "./addresses.js";
import { natsTLS } from "./tls.js";

export interface ConnectSettings {
  /** Normalized server URLs (see normalizeServers). */
  servers: readonly string[];
  tls?: TLSOptions;
  /** Attempts before giving up at start (default 3). */
  attempts?: number;
  /** Handshake timeout of one attempt, ms (default 2000). */
  timeout?: number;
  /** Connection name shown by the server (`nats server report connections`). */
  name: string;
  /** Error id of the MicroError thrown when no server answers ("go.micro.broker"). */
  errorId: string;
  /** What is connecting, for the error message ("nats broker"). */
  what: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** 100 ms doubling to 2 s with ±20% jitter; reset after every successful reconnect. */
function reconnectBackoff() {
  let attempt = 0;
  const watch = async (conn: NatsConnection) => {
    for await (const s of conn.status()) if (s.type === "reconnect") attempt = 0;
  };
  return {
    delay: () => {
      const base = Math.min(2000, 100 * 2 ** attempt++);
      return Math.round(base * (0.8 + Math.random() * 0.4));
    },
    follow: (conn: NatsConnection) => void watch(conn).catch(() => {}),
  };
}

export async function connectNats(s: ConnectSettings): Promise<NatsConnection> {
  const { servers, credentials } = splitCredentials(s.servers);
  const attempts = s.attempts ?? 3;
  const backoff = reconnectBackoff();
  const options: NodeConnectionOptions = {
    ...credentials,
    servers,
    name: s.name,
    timeout: s.timeout ?? 2000,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectDelayHandler: backoff.delay,
  };
  if (s.tls) options.tls = natsTLS(s.tls);
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const conn = await connect(options);
      backoff.follow(conn);
      return conn;
    } catch (err) {
      last = err;
      if (attempt < attempts) await sleep(100 * 2 ** (attempt - 1));
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new MicroError(
    s.errorId,
    `${s.what}: cannot connect to nats at ${s.servers.map(redact).join(", ")} after ${attempts} attempts (${reason})`,
    503,
    undefined,
    { cause: last },
  );
}

/** The connection options the NATS registry, broker and transport share (their names in each). */
export interface NatsClientOptions {
  tls?: TLSOptions | undefined;
  /** Attempts before giving up at start (default 3). */
  connectAttempts?: number | undefined;
  /** Handshake timeout of one attempt, ms (default `who.timeout`, else 2000). */
  connectTimeout?: number | undefined;
  /** An already open connection to use instead: nothing is dialed. */
  connection?: NatsConnection | undefined;
}

/** `options.connection`, else a connection to `servers` made with `options` on behalf of `who`. */
export function openNats(
  servers: readonly string[],
  options: NatsClientOptions,
  who: Pick<ConnectSettings, "name" | "errorId" | "what" | "timeout">,
): Promise<NatsConnection> {
  if (options.connection) return Promise.resolve(options.connection);
  return connectNats({
    ...who,
    servers,
    tls: options.tls,
    attempts: options.connectAttempts ?? 3,
    timeout: options.connectTimeout ?? who.timeout ?? 2000,
  });
}
