// Starts and stops a private RabbitMQ (own ports, node name and data dir) with the project's
// service scripts, so a test can stop and restart "its" server without disturbing the shared one.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");

/** The start/stop scripts: the repo's own, else the shared tools beside it. */
export function serviceScripts(): { start: string; stop: string } | undefined {
  const candidates = [
    { start: join(root, "scripts/services/start.sh"), stop: join(root, "scripts/services/stop.sh") },
    {
      start: join(root, "../shared/tools/start-services.sh"),
      stop: join(root, "../shared/tools/stop-services.sh"),
    },
  ];
  return candidates.find((c) => existsSync(c.start) && existsSync(c.stop));
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export interface PrivateRabbit {
  url: string;
  start(options?: { fresh?: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and deletes its data dir (mnesia, logs), so test runs leave nothing in /tmp. */
  dispose(): Promise<void>;
}

export async function privateRabbit(): Promise<PrivateRabbit> {
  const scripts = serviceScripts();
  if (!scripts) throw new Error("no service scripts found");
  const [port, dist] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    SVC_DIR: mkdtempSync(join(tmpdir(), "rabbitmq-broker-test-")),
    AMQP_PORT: String(port),
    RABBIT_DIST_PORT: String(dist),
    RABBIT_NODENAME: `rabbit-test-${randomUUID().slice(0, 8)}@localhost`,
  };
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    start: async ({ fresh = true } = {}) => {
      await run("bash", [scripts.start, "rabbitmq"], { env: { ...env, SVC_FRESH: fresh ? "1" : "0" } });
    },
    stop: async () => {
      await run("bash", [scripts.stop, "rabbitmq"], { env });
    },
    dispose: async () => {
      await run("bash", [scripts.stop, "rabbitmq"], { env }).catch(() => {});
      rmSync(env.SVC_DIR, { recursive: true, force: true });
    },
  };
}
