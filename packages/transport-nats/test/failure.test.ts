// Failures users meet: NATS down at start (a clear error naming the address), a subject nobody
// listens on (dial rejects at once), and a NATS restart under a listener (calls work again).
import { isMicroError, silentLogger } from "@micro/core";
import { describeWithPrivateServer, describeWithServer } from "@micro/testing/servers";
import { describe, expect, it } from "vitest";
import { NatsTransport } from "../src/index.js";
import { sleep, text, transport, untext } from "./helpers.js";

describe("nats down at start", () => {
  it("listen() and dial() fail within seconds with a MicroError naming the address", async () => {
    const t = new NatsTransport({ addresses: ["127.0.0.1:9"], logger: silentLogger });
    const started = Date.now();
    const err = await t.listen(":0").catch((e: unknown) => e);
    expect(isMicroError(err)).toBe(true);
    expect((err as Error).message).toContain("nats://127.0.0.1:9");
    expect((err as { code: number }).code).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(t.dial("some.subject")).rejects.toThrow(/cannot connect to nats at nats:\/\/127\.0\.0\.1:9/);
  });
});

describeWithServer("nats", "nats transport failures", () => {
  it("dialing a subject nobody listens on rejects at once with a 503", async () => {
    const t = transport();
    const started = Date.now();
    await expect(t.dial("nobody.listens.here")).rejects.toMatchObject({
      code: 503,
      detail: expect.stringMatching(/nobody listens on subject "nobody.listens.here"/),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    await t.close();
  });
});

describeWithPrivateServer("nats", "nats restarted under a listener", (nats) => {
  it("the listener resubscribes and new sockets reach it", async () => {
    const server = new NatsTransport({ addresses: [nats().address], logger: silentLogger });
    const client = new NatsTransport({ addresses: [nats().address], logger: silentLogger });
    const l = await server.listen("restart.listener");
    l.accept(async (s) => {
      for (;;) {
        const m = await s.recv().catch(() => undefined);
        if (!m) return;
        await s.send(m).catch(() => {});
      }
    });
    const before = await client.dial(l.addr());
    await before.send({ header: {}, body: text("before") });
    expect(untext((await before.recv()).body)).toBe("before");

    await nats().stop();
    await sleep(300);
    await nats().start();

    const started = Date.now();
    let answered = "";
    while (!answered && Date.now() - started < 20_000) {
      try {
        const s = await client.dial(l.addr(), { timeout: 500 });
        await s.send({ header: {}, body: text("after") });
        answered = untext((await Promise.race([s.recv(), sleep(500).then(() => ({ body: text("") }))])).body);
        await s.close();
      } catch {
        await sleep(100);
      }
    }
    console.info(`[measured] transport answering again ${Date.now() - started} ms after the restart`);
    expect(answered).toBe("after");
    await l.close();
    await server.close();
    await client.close();
  }, 60_000);
});
