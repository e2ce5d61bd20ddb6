// The outbox against a private nats-server that is stopped and started again. The subscriber is on
// the publishing connection itself: the client subscribes again before it sends anything else after
// a reconnect, and the server delivers to it before answering a later PING, so whatever the server
// read reaches it. What is published while the client is disconnected must arrive (the client alone
// drops it when it dials again); with confirm, so must everything published across the restart.
import { describeWithPrivateServer } from "@micro/testing/servers";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterEach, expect, it } from "vitest";
import { connectNats, currentLink, normalizeServers, Outbox, tracksLink } from "../src/index.js";

const text = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describeWithPrivateServer("nats", "outbox across a nats-server restart", (nats) => {
  const open: NatsConnection[] = [];
  const connect = async () => {
    const nc = await connectNats({
      servers: normalizeServers([nats().address]),
      name: "micro-test",
      errorId: "go.micro.test",
      what: "nats test",
    });
    open.push(nc);
    return nc;
  };
  /** Numbers received on `subject` through `nc`, with how often each arrived. */
  const receive = (nc: NatsConnection, subject: string) => {
    const got = new Map<number, number>();
    nc.subscribe(subject, {
      callback: (_e, m) => void got.set(Number(m.string()), (got.get(Number(m.string())) ?? 0) + 1),
    });
    return got;
  };
  afterEach(async () => {
    for (const nc of open.splice(0)) await nc.close().catch(() => {});
  });

  it("reads the pinned client's connection state (link.ts)", async () => {
    const nc = await connect();
    expect(tracksLink(nc)).toBe(true);
    expect(currentLink(nc)).toBeTypeOf("object");
  });

  it("sends what was published while disconnected once reconnected", async () => {
    const nc = await connect();
    const got = receive(nc, "keep.held");
    const outbox = new Outbox(nc);
    await nc.flush();
    await nats().stop();
    await until(() => currentLink(nc) === undefined, 10_000, "the client to notice");
    for (let i = 0; i < 100; i++) outbox.push("keep.held", text.encode(String(i)));
    expect(outbox.pending).toBe(100);
    await nats().start();
    await until(() => got.size === 100, 20_000, "the 100 held messages");
    expect([...got.keys()]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(outbox.pending).toBe(0);
  }, 60_000);

  it("with confirm, delivers everything published across the restart at least once", async () => {
    const nc = await connect();
    const got = receive(nc, "keep.seq");
    await nc.flush();
    const outbox = new Outbox(nc, { confirm: true });
    let n = 0;
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        outbox.push("keep.seq", text.encode(String(n++)));
        await sleep(2);
      }
    })();
    await until(() => got.size >= 100, 10_000, "deliveries before the restart");
    await nats().stop();
    await sleep(200);
    await nats().start();
    await until(() => currentLink(nc) !== undefined, 20_000, "the reconnect");
    await sleep(300);
    publishing = false;
    await publisher;
    await until(() => got.size === n, 20_000, `all ${n} messages`).catch(() => {});
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !got.has(i));
    const duplicates = [...got.values()].reduce((a, c) => a + c - 1, 0);
    console.info(
      `[measured] ${n} published across the restart, ${missing.length} missing, ${duplicates} duplicates`,
    );
    expect(missing).toEqual([]);
    await until(() => outbox.pending === 0, 5000, "every message confirmed");
  }, 60_000);
});
