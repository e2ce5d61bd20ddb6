// Against a real nats-server: a bounded, clear failure when nothing answers; a named connection that
// reconnects by itself and keeps its subscriptions after the server restarts.
import { isMicroError } from "@micro/core";
import { describeWithPrivateServer, describeWithServer, resolveServer } from "@micro/testing/servers";
import { describe, expect, it } from "vitest";
import { connectNats, normalizeServers } from "../src/index.js";

const settings = (servers: readonly string[]) => ({
  servers: normalizeServers(servers),
  name: "micro-test",
  errorId: "go.micro.test",
  what: "nats test",
});

describe("nobody listening", () => {
  it("fails after the given attempts with a 503 MicroError naming the servers (credentials redacted)", async () => {
    const started = Date.now();
    const err = await connectNats({ ...settings(["nats://u:secret@127.0.0.1:9"]), attempts: 2 }).catch(
      (e: unknown) => e,
    );
    expect(isMicroError(err)).toBe(true);
    expect(err).toMatchObject({ id: "go.micro.test", code: 503 });
    expect((err as Error).message).toMatch(
      /^nats test: cannot connect to nats at nats:\/\/127\.0\.0\.1:9 after 2 attempts \(/,
    );
    expect((err as Error).message).not.toContain("secret");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describeWithServer("nats", "connectNats against nats-server", () => {
  it("connects under the given name", async () => {
    const { host, port } = resolveServer("nats");
    const nc = await connectNats(settings([`${host}:${port}`]));
    try {
      expect(nc.info?.client_id).toBeGreaterThan(0);
      expect(nc.getServer()).toBe(`${host}:${port}`);
      expect((nc as unknown as { options: { name: string } }).options.name).toBe("micro-test");
    } finally {
      await nc.close();
    }
  });
});

describeWithPrivateServer("nats", "a connection outliving a nats restart", (nats) => {
  it("reconnects and keeps its subscriptions", async () => {
    const sub = await connectNats(settings([nats().address]));
    const pub = await connectNats(settings([nats().address]));
    const got: string[] = [];
    sub.subscribe("restart.x", { callback: (_e, m) => void got.push(m.string()) });
    await sub.flush();
    await nats().stop();
    await nats().start();
    const started = Date.now();
    for (let i = 0; !got.length && Date.now() - started < 20_000; i++) {
      pub.publish("restart.x", `after ${i}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    console.info(`[measured] delivering again ${Date.now() - started} ms after the restart`);
    expect(got[0]).toMatch(/^after \d+$/);
    await sub.close();
    await pub.close();
  }, 60_000);
});
