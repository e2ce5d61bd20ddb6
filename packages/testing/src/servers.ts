// Where the real servers of plugin tests are, and a `describe` that needs one.
//
//   import { describeWithServer } from "@micro/testing/servers";
//   describeWithServer("nats", "NatsRegistry against nats-server", (url) => {
//     it("registers", async () => { ... new NatsRegistry({ addrs: [url] }) ... });
//   });
//
// Addresses come from the environment (NATS_URL, ETCD_ENDPOINTS, AMQP_URL, KAFKA_BROKERS,
// CONSUL_HTTP_ADDR), else from the env file that `bash scripts/services/start.sh` writes
// ($SVC_DIR/env, default /tmp/micro-svc/env), else the defaults that script uses.
// A server that does not answer on TCP skips the suite locally and fails it under CI=true.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import {
  type PrivateServer,
  type PrivateServerName,
  serviceScripts,
  startPrivateServer,
} from "./private-server.js";

export type ServerName = "nats" | "etcd" | "rabbitmq" | "kafka" | "consul";

/** The variable that holds each server's address, and its default (what start.sh writes). */
export const SERVERS: Readonly<Record<ServerName, { variable: string; default: string }>> = {
  nats: { variable: "NATS_URL", default: "nats://127.0.0.1:4222" },
  etcd: { variable: "ETCD_ENDPOINTS", default: "http://127.0.0.1:2379" },
  rabbitmq: { variable: "AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672" },
  kafka: { variable: "KAFKA_BROKERS", default: "127.0.0.1:9092" },
  consul: { variable: "CONSUL_HTTP_ADDR", default: "127.0.0.1:8500" },
};

const DEFAULT_PORTS: Record<string, number> = {
  nats: 4222,
  amqp: 5672,
  amqps: 5671,
  http: 80,
  https: 443,
  tcp: 0,
};

export interface ServerEnv {
  name: ServerName;
  /** The environment variable it comes from, e.g. NATS_URL. */
  variable: string;
  /** The value as given: a URL, `host:port`, or a comma-separated list (the first entry is probed). */
  address: string;
  /** Where the address came from. */
  source: "env" | "file" | "default";
  /** Host and port of the first entry, the one probed. */
  host: string;
  port: number;
  /** Whether a TCP connection to host:port succeeded (false when not probed). */
  reachable: boolean;
}

/** Parses a `KEY=VALUE` env file: blank lines and `#` comments skipped, `export ` and quotes allowed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2] ?? "";
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, "");
    out[m[1] as string] = value;
  }
  return out;
}

/** Host and port of the first entry of an address: `scheme://[user@]host[:port]`, `host:port`, `[::1]:port`. */
export function hostPort(address: string): { host: string; port: number } {
  const first = (address.split(",")[0] ?? "").trim();
  const withScheme = first.includes("://") ? first : `tcp://${first}`;
  const u = new URL(withScheme);
  const scheme = u.protocol.replace(/:$/, "");
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = u.port ? Number(u.port) : (DEFAULT_PORTS[scheme] ?? 0);
  if (!host || !port) throw new Error(`cannot tell host and port from "${address}"`);
  return { host, port };
}

/** The env file start.sh writes: `$SVC_DIR/env`, default /tmp/micro-svc/env. */
export function envFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.SVC_DIR || "/tmp/micro-svc", "env");
}

function readEnvFile(path: string): Record<string, string> {
  try {
    return parseEnvFile(readFileSync(path, "utf8"));
  } catch {
    return {};
  }
}

/** Where a server is, without probing it: the environment first, then the env file, then the default. */
export function resolveServer(
  name: ServerName,
  env: NodeJS.ProcessEnv = process.env,
  file: Record<string, string> = readEnvFile(envFilePath(env)),
): Omit<ServerEnv, "reachable"> {
  const spec = SERVERS[name];
  if (!spec) throw new Error(`unknown server "${name}" (nats|etcd|rabbitmq|kafka|consul)`);
  const fromEnv = env[spec.variable]?.trim();
  const fromFile = file[spec.variable]?.trim();
  const [address, source] = fromEnv
    ? [fromEnv, "env" as const]
    : fromFile
      ? [fromFile, "file" as const]
      : [spec.default, "default" as const];
  return { name, variable: spec.variable, address, source, ...hostPort(address) };
}

/** `host:port` of a server's first address (see resolveServer), as clients take it. */
export function serverAddress(name: ServerName, env: NodeJS.ProcessEnv = process.env): string {
  const { host, port } = resolveServer(name, env);
  return `${host}:${port}`;
}

/**
 * Whether host:port accepts a TCP connection within timeoutMs. Synchronous (a short-lived child
 * process), because vitest collects `describe` bodies synchronously.
 */
export function tcpReachable(host: string, port: number, timeoutMs = 1000): boolean {
  const probe =
    `const s=require("node:net").connect(${port},${JSON.stringify(host)});` +
    `s.setTimeout(${timeoutMs});s.on("connect",()=>{s.destroy();process.exit(0)});` +
    `s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1));`;
  const r = spawnSync(process.execPath, ["-e", probe], { timeout: timeoutMs + 2000, stdio: "ignore" });
  return r.status === 0;
}

/** Where a server is (environment, then $SVC_DIR/env, then the default) and whether it answers on TCP. */
export function serverEnv(name: ServerName, env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const s = resolveServer(name, env);
  return { ...s, reachable: tcpReachable(s.host, s.port) };
}

export type ServerDecision =
  | { action: "run" }
  | { action: "fail"; message: string }
  | { action: "skip"; reason: string };

/** Whether the environment says this is CI (CI=true or CI=1). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? "").toLowerCase();
  return v === "true" || v === "1";
}

/** What describeWithServer does: run when reachable; otherwise fail under CI, skip elsewhere. */
export function decideServer(
  server: Pick<ServerEnv, "name" | "host" | "port" | "reachable">,
  ci: boolean,
): ServerDecision {
  if (server.reachable) return { action: "run" };
  const where = `${server.host.includes(":") ? `[${server.host}]` : server.host}:${server.port}`;
  const message = `${server.name} not reachable at ${where}; start it with bash scripts/services/start.sh ${server.name}`;
  return ci ? { action: "fail", message } : { action: "skip", reason: message };
}

const announced = new Set<string>();

/**
 * A vitest `describe` that needs a real server. `fn` receives the server's address (URL or
 * `host:port` list, as in its environment variable). When the server does not answer: under
 * CI=true a test in this suite fails saying so; otherwise the suite is skipped and the reason is
 * printed once per server.
 */
export function describeWithServer(name: ServerName, title: string, fn: (address: string) => void): void {
  const server = serverEnv(name);
  const decision = decideServer(server, isCI());
  switch (decision.action) {
    case "run":
      describe(title, () => fn(server.address));
      return;
    case "fail":
      describe(title, () => {
        it(`needs ${name} at ${server.address}`, () => {
          throw new Error(`${decision.message} (CI=true requires it)`);
        });
      });
      return;
    case "skip":
      if (!announced.has(name)) {
        announced.add(name);
        console.warn(`[@micro/testing] skipping suites that need ${name}: ${decision.reason}`);
      }
      describe.skip(`${title} [skipped: ${decision.reason}]`, () => fn(server.address));
      return;
  }
}

/**
 * A describe whose tests own a private server (started before them, deleted after), for tests that
 * stop and restart it. Needs the shared server to be reachable too, so CI and local runs decide the
 * same way describeWithServer does: the scripts that start the shared one start the private one.
 */
export function describeWithPrivateServer(
  name: PrivateServerName,
  title: string,
  fn: (server: () => PrivateServer) => void,
  options: { startTimeout?: number } = {},
): void {
  describeWithServer(name, title, () => {
    if (!serviceScripts()) {
      it.skip(`needs scripts/services/start.sh to run a private ${name}`);
      return;
    }
    let server: PrivateServer | undefined;
    beforeAll(async () => {
      server = await startPrivateServer(name);
    }, options.startTimeout ?? 60_000);
    afterAll(async () => {
      await server?.dispose();
    }, 60_000);
    fn(() => {
      if (!server) throw new Error(`the private ${name} did not start`);
      return server;
    });
  });
}

export * from "./private-server.js";
