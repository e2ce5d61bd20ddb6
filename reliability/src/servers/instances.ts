// Our own server instances: scripts/services/start.sh and stop.sh with a SVC_DIR and ports of their
// own, so stopping and restarting them never touches the shared servers other tests use
// (/tmp/micro-svc on the default ports). Consul runs as a single server that keeps its state
// (CONSUL_MODE=server): the dev agent keeps nothing, so "back with the same data" needs it.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");

export type ServerName = "nats" | "etcd" | "consul" | "rabbitmq" | "kafka";

/** Ports below the ephemeral range (32768+), so no client socket of another test takes them. */
export const CHAOS_PORTS: Record<string, string> = {
  NATS_PORT: "24222",
  NATS_MON_PORT: "28222",
  ETCD_PORT: "22379",
  ETCD_PEER_PORT: "22380",
  CONSUL_HTTP_PORT: "28500",
  CONSUL_SERVER_PORT: "28300",
  CONSUL_SERF_LAN_PORT: "28301",
  CONSUL_SERF_WAN_PORT: "28302",
  AMQP_PORT: "25673",
  RABBIT_DIST_PORT: "25674",
  // nodes share epmd on 4369: ours needs its own name
  RABBIT_NODENAME: "chaos@localhost",
  KAFKA_PORT: "29092",
  KAFKA_CONTROLLER_PORT: "29093",
};

/** The URL (or host:port) clients take for each server. */
export const SERVER_URLS: Record<ServerName, string> = {
  nats: `nats://127.0.0.1:${CHAOS_PORTS.NATS_PORT}`,
  etcd: `http://127.0.0.1:${CHAOS_PORTS.ETCD_PORT}`,
  consul: `127.0.0.1:${CHAOS_PORTS.CONSUL_HTTP_PORT}`,
  rabbitmq: `amqp://guest:guest@127.0.0.1:${CHAOS_PORTS.AMQP_PORT}`,
  kafka: `127.0.0.1:${CHAOS_PORTS.KAFKA_PORT}`,
};

const SHARED_DIR = "/tmp/micro-svc";

export class Instances {
  readonly #env: NodeJS.ProcessEnv;
  readonly #up = new Set<ServerName>();

  constructor(readonly svcDir: string) {
    if (resolve(svcDir) === SHARED_DIR)
      throw new Error(`${SHARED_DIR} holds the shared servers; use another dir`);
    this.#env = {
      ...process.env,
      ...CHAOS_PORTS,
      SVC_DIR: svcDir,
      CONSUL_MODE: "server",
      SVC_TIMEOUT: "120",
      SVC_STOP_TIMEOUT: "30",
    };
  }

  /** Starts `name` (fresh: its data wiped first) and resolves once start.sh saw it ready. */
  async start(name: ServerName, { fresh = false } = {}): Promise<void> {
    const once = (wipe: boolean) =>
      exec("bash", [`${root}/scripts/services/start.sh`, name], {
        env: { ...this.#env, SVC_FRESH: wipe ? "1" : "0" },
        timeout: 180_000,
      });
    try {
      await once(fresh).catch(async (err) => {
        // start.sh can take a server that start-stop-daemon is still exec'ing (its PID file names
        // the forked child, whose /proc comm is "start-stop-daem" for a moment) for one that
        // exited. A second run, once the exec is surely done, finds it running and waits for it
        // to be ready; never with a wipe, which would delete the PID file of the one running.
        this.#up.add(name);
        await new Promise((r) => setTimeout(r, 1000));
        await once(false).catch(() => Promise.reject(err));
      });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(
        `${name} did not start: ${(e.stderr ?? e.message).trim().split("\n").slice(-4).join(" | ")}`,
      );
    }
    this.#up.add(name);
  }

  /** Stops `name` by its PID file (SIGTERM, SIGKILL after 30 s). */
  async stop(name: ServerName): Promise<void> {
    await exec("bash", [`${root}/scripts/services/stop.sh`, name], { env: this.#env, timeout: 90_000 });
    this.#up.delete(name);
  }

  /** Stops every instance this object started. */
  async stopAll(): Promise<void> {
    for (const name of [...this.#up]) await this.stop(name).catch(() => {});
  }
}
