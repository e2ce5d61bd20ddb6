import { afterEach, describe, expect, it } from "vitest";
import { type Context, createFunction, MicroError, type MicroService } from "../src/index.js";
import { testWorld } from "./support/world.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const world = () => testWorld(started);

const greeter = {
  async hello(ctx: Context, req: { name: string }) {
    if (!req.name) throw MicroError.badRequest("greeter", "name is required");
    return { msg: `Hello ${req.name}`, user: ctx.metadata.get("x-user") ?? null, endpoint: ctx.endpoint };
  },
  async crash() {
    throw new Error("kaboom");
  },
  async *count(_ctx: Context, req: { to: number }) {
    for (let i = 0; i < req.to; i++) yield { n: i };
  },
  async *echo(_ctx: Context, inbound: AsyncIterable<{ say: string }>) {
    for await (const m of inbound) yield { said: m.say };
  },
};
const opts = { endpoints: { echo: { stream: "bidi" as const } } };

describe("rpc over a transport", () => {
  it("calls a handler and propagates metadata", async () => {
    const { mk } = world();
    const srv = mk("greeter").handle("Greeter", greeter, opts);
    await srv.start();
    const cli = mk("caller");
    const rsp = await cli.client.call(
      "greeter",
      "Greeter.Hello",
      { name: "John" },
      { metadata: { "x-user": "alice" } },
    );
    expect(rsp).toEqual({ msg: "Hello John", user: "alice", endpoint: "Greeter.Hello" });
  });

  it("registers go-micro's node record and endpoints", async () => {
    const { mk, registry } = world();
    const srv = mk("greeter", { version: "1.2.3", metadata: { team: "a" } }).handle("Greeter", greeter, opts);
    await srv.start();
    const [svc] = await registry.getService("greeter");
    expect(svc!.version).toBe("1.2.3");
    expect(svc!.nodes[0]!.id).toBe(`greeter-${srv.server.id}`);
    expect(svc!.nodes[0]!.metadata).toEqual({
      team: "a",
      transport: "memory",
      broker: "test",
      server: "mucp",
      registry: "test",
      protocol: "mucp",
      "micro-ts": "1",
    });
    expect(svc!.endpoints.map((e) => [e.name, e.metadata])).toEqual([
      // go-micro's "true" for every stream, and the kind beside it
      ["Greeter.Count", { stream: "true", stream_kind: "server" }],
      ["Greeter.Crash", {}],
      ["Greeter.Echo", { stream: "true", stream_kind: "bidi" }],
      ["Greeter.Hello", {}],
    ]);
  });

  it("gives clear MicroErrors for bad calls", async () => {
    const { mk } = world();
    await mk("greeter").handle("Greeter", greeter, opts).start();
    const c = mk("caller").client;
    // go-micro's router errors: plain text, no id or code
    await expect(c.call("greeter", "Greeter.Nope", {})).rejects.toMatchObject({
      code: 0,
      id: "",
      detail: "rpc: can't find method Nope",
    });
    await expect(c.call("greeter", "Greeter", {})).rejects.toMatchObject({
      code: 0,
      detail: "rpc: service/endpoint request ill-formed: Greeter",
    });
    await expect(c.call("greeter", "Greeter.Hello", {})).rejects.toMatchObject({
      code: 400,
      id: "greeter",
      detail: "name is required",
    });
    await expect(c.call("greeter", "Greeter.Crash", {})).rejects.toMatchObject({
      code: 500,
      detail: "kaboom",
    });
    await expect(c.call("nobody", "X.Y", {})).rejects.toMatchObject({
      code: 500,
      detail: "service nobody: not found",
    });
    // the server keeps serving
    expect(await c.call("greeter", "Greeter.Hello", { name: "x" })).toMatchObject({ msg: "Hello x" });
  });

  it("streams from the server and both ways", async () => {
    const { mk } = world();
    await mk("greeter").handle("Greeter", greeter, opts).start();
    const c = mk("caller").client;
    const got: number[] = [];
    for await (const m of c.stream<{ n: number }, { to: number }>("greeter", "Greeter.Count", { to: 5 }))
      got.push(m.n);
    expect(got).toEqual([0, 1, 2, 3, 4]);

    const s = c.stream<{ said: string }, { say: string }>("greeter", "Greeter.Echo");
    await s.send({ say: "a" });
    expect(await s.recv()).toEqual({ said: "a" });
    await s.send({ say: "b" });
    await s.closeSend();
    expect(await s.recv()).toEqual({ said: "b" });
    expect(await s.recv()).toBeUndefined();
  });

  it("retries 408s with backoff on another node, not other errors", async () => {
    const { mk } = world();
    let calls = 0;
    await mk("flaky")
      .handle("Flaky", {
        async once() {
          if (calls++ === 0) throw MicroError.timeout("flaky", "try again");
          return { ok: true };
        },
        async never() {
          calls++;
          throw MicroError.internal("flaky", "no");
        },
      })
      .start();
    const c = mk("caller").client;
    expect(await c.call("flaky", "Flaky.Once", {}, { backoff: () => 1 })).toEqual({ ok: true });
    expect(calls).toBe(2);
    calls = 0;
    await expect(c.call("flaky", "Flaky.Never", {})).rejects.toMatchObject({ code: 500 });
    expect(calls).toBe(1);
  });

  it("times out a slow attempt with a 408 well before the whole-call timeout", async () => {
    const { mk } = world();
    await mk("slow", { id: "a" })
      .handle("S", {
        async go(ctx: Context) {
          await new Promise((r) => setTimeout(r, 300));
          return { node: "slow", aborted: ctx.signal.aborted };
        },
      })
      .start();
    const c = mk("caller").client;
    const t0 = Date.now();
    await expect(
      c.call("slow", "S.Go", {}, { attemptTimeout: 50, retries: 1, backoff: () => 1 }),
    ).rejects.toMatchObject({
      code: 408,
      id: "go.micro.client",
    });
    expect(Date.now() - t0).toBeLessThan(250);
  });

  it("skips a dead node (dial refused) and reaches a live one", async () => {
    const { mk, registry } = world();
    await mk("greeter").handle("Greeter", greeter, opts).start();
    await registry.register({
      name: "greeter",
      version: "latest",
      endpoints: [],
      nodes: [{ id: "dead", address: "127.0.0.1:1", metadata: { protocol: "mucp" } }],
    });
    const c = mk("caller").client;
    for (let i = 0; i < 4; i++) {
      expect(await c.call("greeter", "Greeter.Hello", { name: "x" }, { backoff: () => 1 })).toMatchObject({
        msg: "Hello x",
      });
    }
  });

  it("drains in-flight requests on stop, after deregistering", async () => {
    const { mk, registry } = world();
    const srv = mk("drain").handle("D", {
      async slow() {
        await new Promise((r) => setTimeout(r, 100));
        return { done: true };
      },
    });
    await srv.start();
    const c = mk("caller").client;
    const pending = c.call("drain", "D.Slow", {});
    await new Promise((r) => setTimeout(r, 20));
    const stopping = srv.stop();
    await new Promise((r) => setTimeout(r, 5));
    expect(await registry.getService("drain")).toEqual([]);
    expect(await pending).toEqual({ done: true });
    await stopping;
  });

  it("publishes to subscribers with go-micro's headers", async () => {
    const { mk } = world();
    const got: [unknown, string | undefined, string | undefined][] = [];
    await mk("sub")
      .subscribe("user.created", async (ctx, ev: { id: string }) => {
        got.push([ev, ctx.metadata.get("Micro-Topic"), ctx.metadata.get("Micro-ID")]);
      })
      .start();
    await mk("pub").client.publish("user.created", { id: "42" });
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toEqual({ id: "42" });
    expect(got[0]![1]).toBe("user.created");
    expect(got[0]![2]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("passes a subscriber's queue, ack and durable choices to the broker", async () => {
    const { mk, broker } = world();
    await mk("durable")
      .subscribe("orders", async () => {}, { queue: "billing", durable: true, autoAck: false })
      .subscribe("audit", async () => {})
      .start();
    expect(broker.subscribeOptions).toEqual([
      ["orders", { queue: "billing", durable: true, autoAck: false }],
      ["audit", { queue: undefined, durable: undefined, autoAck: true }],
    ]);
  });

  it("runs hooks in order and a function stops after its first request", async () => {
    const { options, mk, registry } = world();
    const order: string[] = [];
    const fn = createFunction({
      name: "thumb",
      ...options,
      beforeStart: () => void order.push("beforeStart"),
      afterStart: () => void order.push("afterStart"),
      beforeStop: () => void order.push("beforeStop"),
      afterStop: () => void order.push("afterStop"),
    });
    fn.handle("Thumb", {
      async make() {
        return { ok: 1 };
      },
    });
    const running = fn.run();
    await new Promise((r) => setTimeout(r, 20));
    expect(await mk("c").client.call("thumb", "Thumb.Make", {})).toEqual({ ok: 1 });
    await running;
    expect(order).toEqual(["beforeStart", "afterStart", "beforeStop", "afterStop"]);
    expect(await registry.getService("thumb")).toEqual([]);
  });
});
