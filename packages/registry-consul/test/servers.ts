// Until @micro/testing/servers lands: the same contract for the one server these tests need. A
// describe block runs when the real Consul agent answers; under CI=true an unreachable agent fails
// the run; elsewhere the block is skipped with the reason in its title.
import { describe, it } from "vitest";

export const CONSUL_ADDR = process.env.CONSUL_HTTP_ADDR?.replace(/^https?:\/\//, "") || "127.0.0.1:8500";

async function consulUp(): Promise<string | undefined> {
  try {
    const res = await fetch(`http://${CONSUL_ADDR}/v1/status/leader`, { signal: AbortSignal.timeout(1_500) });
    const leader = (await res.json()) as string;
    return res.ok && leader ? undefined : `consul at ${CONSUL_ADDR} has no leader`;
  } catch (err) {
    return `consul not reachable at ${CONSUL_ADDR} (${(err as Error).message}); start it with scripts/services/start.sh consul`;
  }
}

const why = await consulUp();

export function describeWithServer(name: "consul", title: string, fn: () => void): void {
  if (!why) {
    describe(title, fn);
    return;
  }
  if (process.env.CI === "true") {
    describe(title, () => {
      it(`needs ${name}`, () => {
        throw new Error(why);
      });
    });
    return;
  }
  describe.skip(`${title} [skipped: ${why}]`, fn);
}
