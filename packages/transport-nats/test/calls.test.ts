// Calls over shared reply subscriptions: every socket of a transport receives on one `_INBOX.<nuid>.>`
// subscription and a pooled socket keeps its inbox across calls, so each reply must still reach its
// own call, also when it comes late; a server gone mid-call, or NATS itself, must fail the call
// (at its deadline, not never); closing a socket with a receive pending ends that receive at once.
import "@micro/codec-json";
import "@micro/selector";
import { MemoryBroker } from "@micro/broker-memory";
import {
  type Client,
  createClient,
  createService,
  type MicroService,
  type Socket,
  silentLogger,
  type TransportMessage,
} from "@micro/core";
import type { CallbackSocket } from "@micro/core/plugin-kit";
import { MemoryRegistry } from "@micro/registry-memory";
import { describeWithPrivateServer, describeWithServer } from "@micro/testing/servers";
import { afterEach, expect, it } from "vitest";
import { NatsTransport, type NatsTransportOptions } from "../src/index.js";
import { natsAddress, sleep, text, transport, untext } from "./helpers.js";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

/** A NATS transport closed after the test. */
function open(options: NatsTransportOptions = {}): NatsTransport {
  const t = transport(options);
  cleanup.push(() => t.close());
  return t;
}

/** A listener echoing every message after `delay(body)` ms, answers possibly out of order. */
async function echoServer(t: NatsTransport, delay: (body: string) => number = () => 0): Promise<string> {
  const l = await t.listen(":0");
  cleanup.push(() => l.close());
  l.accept(async (s: Socket) => {
    for (;;) {
      const m = await s.recv().catch(() => undefined);
      if (!m) return;
      const wait = delay(untext(m.body));
      if (wait > 0) void sleep(wait).then(() => s.send(m).catch(() => {}));
      else await s.send(m).catch(() => {});
    }
  });
  return l.addr();
}

const greeter = (hang?: Promise<never>) => ({
  async hello(_ctx: unknown, req: { name: string }) {
    if (req.name.startsWith("slow")) await sleep(Number(req.name.slice(4)));
    if (req.name === "hang" && hang) await hang;
    return { msg: `Hello ${req.name}` };
  },
});

/** A core service on its own transport and a client on another; the client calls its address. */
async function stack(server: NatsTransport, client: NatsTransport, hang?: Promise<never>) {
  const opts = {
    registry: new MemoryRegistry(),
    broker: new MemoryBroker(),
    argv: [],
    env: {},
    logger: silentLogger,
  };
  const service = createService({ name: "greeter", transport: server, ...opts }) as MicroService;
  service.handle("Greeter", greeter(hang));
  await service.start();
  const c: Client = createClient({ transport: client, ...opts, retries: 0 });
  cleanup.push(
    () => service.stop(),
    () => c.close(),
  );
  const address = service.server.address();
  const hello = (name: string, timeout = 5000) =>
    c.call<{ msg: string }>("greeter", "Greeter.Hello", { name }, { address, timeout });
  return { hello, address };
}

describeWithServer("nats", "calls over shared reply subscriptions", () => {
  it("routes each reply to its socket: many sockets on one subscription, answered out of order", async () => {
    const server = open();
    const address = await echoServer(server, (body) => Number(body.split(":")[1]));
    const client = open();
    const sockets = await Promise.all(Array.from({ length: 24 }, () => client.dial(address)));
    cleanup.push(() => Promise.all(sockets.map((s) => s.close())));
    // one inbox subscription: every socket's inbox is under one prefix
    const prefixes = new Set(sockets.map((s) => s.local.split(".").slice(0, 2).join(".")));
    expect(prefixes.size).toBe(1);
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(
        sockets.map(async (s, i) => {
          // later sockets answered sooner
          await s.send({ header: {}, body: text(`${i}-${round}:${(24 - i) * 2}`) });
          return untext((await s.recv()).body);
        }),
      );
      expect(replies).toEqual(sockets.map((_, i) => `${i}-${round}:${(24 - i) * 2}`));
    }
  });

  it("keeps one socket's replies in order across calls on the same reply subject", async () => {
    const server = open();
    const address = await echoServer(server);
    const s = (await open().dial(address)) as CallbackSocket;
    cleanup.push(() => s.close());
    for (let i = 0; i < 50; i++) {
      await s.send({ header: { "Micro-Id": String(i) }, body: text(`call ${i}`) });
      const reply = await new Promise<TransportMessage>((resolve, reject) => s.recvInto(resolve, reject));
      expect(reply.header["Micro-Id"]).toBe(String(i));
      expect(untext(reply.body)).toBe(`call ${i}`);
    }
  });

  it("answers concurrent core calls each with its own reply", async () => {
    const { hello } = await stack(open(), open());
    const names = Array.from({ length: 64 }, (_, i) => (i % 3 ? `n${i}` : `slow${(i % 7) * 3}`));
    const replies = await Promise.all(names.map((n) => hello(n)));
    expect(replies.map((r) => r.msg)).toEqual(names.map((n) => `Hello ${n}`));
  });

  it("gives a call that timed out no say in the next: its late reply is dropped", async () => {
    const { hello } = await stack(open(), open());
    await expect(hello("slow300", 100)).rejects.toMatchObject({ code: 408 });
    // the late answer arrives meanwhile, at an inbox nobody reads any more
    const started = Date.now();
    const replies = [];
    while (Date.now() - started < 500) replies.push((await hello("fast")).msg);
    expect(new Set(replies)).toEqual(new Set(["Hello fast"]));
  });

  it("fails a call whose server goes away mid-call at its deadline, and the next one at once", async () => {
    // closed by the test itself, as a dying process would lose its connection
    const serverTransport = new NatsTransport({ addresses: [natsAddress()], logger: silentLogger });
    cleanup.push(() => serverTransport.close());
    let release!: () => void;
    const hang = new Promise<never>((_, reject) => {
      release = () => reject(new Error("released"));
    });
    hang.catch(() => {});
    const { hello } = await stack(serverTransport, open(), hang);
    // before the service stops (cleanups run last first): it waits for its handlers
    cleanup.push(async () => release());
    const pending = hello("hang", 800);
    const caught = pending.catch((e: unknown) => e);
    await sleep(100);
    // the server's process dies: its NATS connection goes, its subscription with it
    await serverTransport.close();
    const started = Date.now();
    expect(await caught).toMatchObject({ code: 408 });
    expect(Date.now() - started).toBeLessThan(1500);
    const next = Date.now();
    await expect(hello("again", 5000)).rejects.toMatchObject({
      detail: expect.stringMatching(/nobody listens/),
    });
    expect(Date.now() - next).toBeLessThan(1000);
  });

  it("ends a pending receive at once when its socket closes", async () => {
    const server = open();
    const address = await echoServer(server, () => 300);
    const s = (await open().dial(address)) as CallbackSocket;
    await s.send({ header: {}, body: text("late") });
    const started = Date.now();
    const ended = new Promise<unknown>((resolve) => s.recvInto(resolve, resolve));
    await sleep(20);
    await s.close();
    expect(await ended).toMatchObject({ code: 500, detail: "EOF" });
    expect(Date.now() - started).toBeLessThan(200);
    await expect(s.recv()).rejects.toMatchObject({ detail: "EOF" });
  });

  it("keeps a busy server socket past the idle timeout", async () => {
    const server = open({ idleTimeout: 120 });
    const l = await server.listen(":0");
    cleanup.push(() => l.close());
    const accepted: Socket[] = [];
    l.accept(async (s) => {
      accepted.push(s);
      for (;;) {
        const m = await s.recv().catch(() => undefined);
        if (!m) return;
        await s.send(m).catch(() => {});
      }
    });
    const c = await open().dial(l.addr());
    cleanup.push(() => c.close());
    for (let i = 0; i < 12; i++) {
      await c.send({ header: {}, body: text(String(i)) });
      expect(untext((await c.recv()).body)).toBe(String(i));
      await sleep(40);
    }
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.closed).toBe(false);
  });
});

describeWithPrivateServer("nats", "nats stopped under a call", (nats) => {
  it("fails the call at its deadline instead of leaving it waiting", async () => {
    const addresses = [nats().address];
    const [server, client] = [0, 1].map(() => new NatsTransport({ addresses, logger: silentLogger }));
    cleanup.push(
      () => server!.close(),
      () => client!.close(),
    );
    const { hello } = await stack(server!, client!);
    expect((await hello("before")).msg).toBe("Hello before");
    const pending = hello("slow400", 1000).catch((e: unknown) => e);
    await sleep(100);
    await nats().stop();
    const started = Date.now();
    expect(await pending).toMatchObject({ code: 408 });
    expect(Date.now() - started).toBeLessThan(1500);
    await nats().start();
  }, 60_000);
});
