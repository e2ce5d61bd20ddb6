// A private copy of a real server (own ports, node name and data dir) started with the repo's
// service scripts, so a failure test can stop and restart "its" server without disturbing the
// shared one other suites use.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");

export type PrivateServerName = "etcd" | "nats" | "rabbitmq" | "kafka";

/** The repo's start/stop scripts, if this is a checkout that has them. */
export function serviceScripts(): { start: string; stop: string } | undefined {
  const start = join(root, "scripts/services/start.sh");
  const stop = join(root, "scripts/services/stop.sh");
  return existsSync(start) && existsSync(stop) ? { start, stop } : undefined;
}

/** `n` distinct free ports: all are held open until every one is known, so none repeats. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((res, rej) => {
          const s = createServer();
          s.once("error", rej);
          s.listen(0, "127.0.0.1", () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface PrivateServer {
  /** host:port */
  address: string;
  /** The URL clients take (nats://…, amqp://guest:guest@…, http://…; host:port for kafka). */
  url: string;
  start(options?: { fresh?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and deletes its data dir. */
  dispose(): Promise<void>;
}

export async function privateServer(name: PrivateServerName): Promise<PrivateServer> {
  const scripts = serviceScripts();
  if (!scripts) throw new Error("no scripts/services/start.sh in this checkout");
  const [port, second] = (await freePorts(2)) as [number, number];
  const ports: Record<PrivateServerName, Record<string, string>> = {
    etcd: { ETCD_PORT: String(port), ETCD_PEER_PORT: String(second) },
    nats: { NATS_PORT: String(port), NATS_MON_PORT: String(second) },
    rabbitmq: {
      AMQP_PORT: String(port),
      RABBIT_DIST_PORT: String(second),
      // nodes share epmd, so each private broker needs its own node name
      RABBIT_NODENAME: `rabbit-test-${randomUUID().slice(0, 8)}@localhost`,
    },
    kafka: { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(second) },
  };
  const urls: Record<PrivateServerName, string> = {
    etcd: `http://127.0.0.1:${port}`,
    nats: `nats://127.0.0.1:${port}`,
    rabbitmq: `amqp://guest:guest@127.0.0.1:${port}`,
    kafka: `127.0.0.1:${port}`,
  };
  const env = { ...process.env, SVC_DIR: mkdtempSync(join(tmpdir(), `${name}-private-`)), ...ports[name] };
  const stop = () => run("bash", [scripts.stop, name], { env });
  return {
    address: `127.0.0.1:${port}`,
    url: urls[name],
    start: async ({ fresh = true } = {}) => {
      const once = () =>
        run("bash", [scripts.start, name], { env: { ...env, SVC_FRESH: fresh ? "1" : "0" } });
      try {
        await once();
      } catch (err) {
        // a JVM server starting on a loaded 2-core machine sometimes gives up on its own quorum
        // timers and exits; one more launch tells that apart from a server that cannot start
        console.warn(`[private ${name}] start failed, retrying once: ${String(err).split("\n")[0]}`);
        await stop().catch(() => {});
        await once();
      }
    },
    stop: async () => {
      await stop();
    },
    dispose: async () => {
      await stop().catch(() => {});
      rmSync(env.SVC_DIR, { recursive: true, force: true });
    },
  };
}

/** privateServer(name), started. */
export async function startPrivateServer(name: PrivateServerName): Promise<PrivateServer> {
  const server = await privateServer(name);
  await server.start();
  return server;
}
