// What users see when RabbitMQ is not there: a clear error naming the server within seconds when it
// is down at start; publishing while it is away fails after a short wait; after a restart the broker
// reconnects by itself and its subscriptions (broadcast, queue group, durable) deliver again.
import { isMicroError, silentLogger } from "@micro/core";
import {
  describeWithServer,
  type PrivateServer,
  privateServer,
  serviceScripts,
} from "@micro/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RabbitMQBroker } from "../src/index.js";
import { eventually, sleep, text, untext } from "./helpers.js";

describe("rabbitmq down at start", () => {
  it("connect fails after bounded retries with a 503 naming the server (not its password)", async () => {
    const b = new RabbitMQBroker({ addresses: ["amqp://user:secret@127.0.0.1:9"], logger: silentLogger });
    const started = Date.now();
    const err = await b.connect().catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(isMicroError(err)).toBe(true);
    expect((err as { code: number }).code).toBe(503);
    expect((err as Error).message).toContain("cannot connect to amqp://127.0.0.1:9 after 3 attempts");
    expect((err as Error).message).not.toContain("secret");
    console.info(`[measured] connect with rabbitmq down: failed after ${took} ms`);
    expect(took).toBeLessThan(5000);
    await b.disconnect();
  });

  it("publish before connect() is a clear error", async () => {
    const b = new RabbitMQBroker({ addresses: ["127.0.0.1:9"], logger: silentLogger });
    await expect(b.publish("t", { header: {}, body: text("x") })).rejects.toThrow(
      /not connected to amqp:\/\/127.0.0.1:9 \(call connect\(\) first\)/,
    );
  });
});

const scripts = serviceScripts();

describeWithServer("rabbitmq", "rabbitmq restarted under a connected broker", () => {
  if (!scripts) {
    it.skip("needs scripts/services or shared/tools start/stop scripts");
    return;
  }
  let rabbit: PrivateServer;
  beforeAll(async () => {
    rabbit = await privateServer("rabbitmq");
    await rabbit.start();
  }, 120_000);
  afterAll(async () => {
    await rabbit?.dispose();
  }, 60_000);

  it("fails publishes while it is away, then reconnects and delivers to every subscription", async () => {
    const options = { addresses: [rabbit.url], logger: silentLogger, publishWait: 500 };
    const sub = new RabbitMQBroker(options);
    const pub = new RabbitMQBroker(options);
    await sub.connect();
    await pub.connect();
    const got = { broadcast: [] as string[], group: [] as string[], durable: [] as string[] };
    try {
      await sub.subscribe("restart.events", (e) => void got.broadcast.push(untext(e.message.body)));
      await sub.subscribe("restart.events", (e) => void got.group.push(untext(e.message.body)), {
        queue: "restart-group",
      });
      await sub.subscribe("restart.events", (e) => void got.durable.push(untext(e.message.body)), {
        queue: "restart-durable",
        durable: true,
      });
      await pub.publish("restart.events", { header: {}, body: text("before") });
      await eventually(() =>
        expect(got).toEqual({ broadcast: ["before"], group: ["before"], durable: ["before"] }),
      );

      await rabbit.stop();
      const down = Date.now();
      const err = await pub
        .publish("restart.events", { header: {}, body: text("lost") })
        .catch((e: unknown) => e);
      expect(isMicroError(err)).toBe(true);
      expect((err as Error).message).toMatch(
        /not connected to amqp:\/\/127\.0\.0\.1:\d+ \(reconnecting; waited 500 ms\)/,
      );
      console.info(`[measured] publish with rabbitmq stopped: failed after ${Date.now() - down} ms`);

      await sleep(500);
      await rabbit.start({ fresh: false });
      const up = Date.now();
      // publish until it goes through: the publisher reconnects on its own
      await eventually(() => pub.publish("restart.events", { header: {}, body: text("after") }), 30_000);
      console.info(`[measured] publish works again ${Date.now() - up} ms after rabbitmq restarted`);
      // the subscriber may come back a little later than the publisher; messages published before
      // its queues exist are unroutable (go-micro behaves the same), so keep publishing until all see one
      const arrived = () => [got.broadcast, got.group, got.durable].every((l) => l.at(-1) === "after");
      while (!arrived() && Date.now() - up < 30_000) {
        await pub.publish("restart.events", { header: {}, body: text("after") });
        await sleep(100);
      }
      expect(arrived()).toBe(true);
      console.info(`[measured] every subscription delivers again ${Date.now() - up} ms after the restart`);
      expect(sub.address()).toBe(rabbit.url.replace("guest:guest@", ""));
    } finally {
      await sub.disconnect();
      await pub.disconnect();
    }
  }, 120_000);
});
