// A local stand-in for `describeWithServer` of @micro/testing/servers (not in the workspace yet),
// with the same contract: the suite runs when the server answers; under CI=true an unreachable
// server fails the run; otherwise the suite is skipped with the reason printed.
import { spawnSync } from "node:child_process";
import { describe, it } from "vitest";

const DEFAULTS: Record<string, { env: string; url: string }> = {
  etcd: { env: "ETCD_ENDPOINTS", url: "http://127.0.0.1:2379" },
  nats: { env: "NATS_URL", url: "nats://127.0.0.1:4222" },
};

/** host:port of a server from its env var (first of a comma list) or the default. */
export function serverAddress(name: string): { host: string; port: number; url: string } {
  const d = DEFAULTS[name];
  if (!d) throw new Error(`unknown server ${name}`);
  const url = (process.env[d.env] ?? d.url).split(",")[0]!.trim();
  const u = new URL(url.includes("://") ? url : `tcp://${url}`);
  return { host: u.hostname, port: Number(u.port), url };
}

// describe() bodies run synchronously, so the probe runs in a child process that we wait for.
function reachable(host: string, port: number): boolean {
  const probe = `const s=require("net").connect(${port},${JSON.stringify(host)});s.setTimeout(1000);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1));`;
  return spawnSync(process.execPath, ["-e", probe], { timeout: 3000 }).status === 0;
}

export function describeWithServer(name: string, title: string, fn: () => void): void {
  const { host, port } = serverAddress(name);
  if (reachable(host, port)) {
    describe(title, fn);
    return;
  }
  const reason = `${name} is not reachable at ${host}:${port} (start it with scripts/services/start.sh ${name})`;
  if (process.env.CI === "true") {
    describe(title, () => {
      it(`needs ${name}`, () => {
        throw new Error(`${reason}; CI requires it`);
      });
    });
    return;
  }
  console.warn(`[skip] ${title}: ${reason}`);
  describe.skip(`${title} [skipped: ${reason}]`, fn);
}
