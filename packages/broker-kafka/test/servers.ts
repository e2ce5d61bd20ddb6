// A local stand-in for `describeWithServer` of @micro/testing/servers (not committed yet), with the
// same contract: the suite runs when Kafka answers; under CI=true an unreachable Kafka fails the
// run; otherwise the suite is skipped with the reason printed.
import { spawnSync } from "node:child_process";
import { describe, it } from "vitest";

/** The bootstrap brokers: $KAFKA_BROKERS (what scripts/services/start.sh writes) or the default. */
export function kafkaBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

// describe() bodies run synchronously, so the probe runs in a child process that we wait for.
function reachable(host: string, port: number): boolean {
  const probe = `const s=require("net").connect(${port},${JSON.stringify(host)});s.setTimeout(1000);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1));`;
  return spawnSync(process.execPath, ["-e", probe], { timeout: 3000 }).status === 0;
}

export function describeWithServer(name: "kafka", title: string, fn: () => void): void {
  const first = kafkaBrokers()[0] ?? "127.0.0.1:9092";
  const i = first.lastIndexOf(":");
  const [host, port] = [first.slice(0, i), Number(first.slice(i + 1))];
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
