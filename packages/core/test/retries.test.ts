// go-micro's retries made visible: a timed-out attempt is retried (so a slow handler runs again),
// both sides say so in the log, and a call or endpoint marked not idempotent runs at most once.
import { afterEach, describe, expect, it } from "vitest";
import { type Context, createService, type Filter, type MicroService, silentLogger } from "../src/index.js";
import { jsonLogger } from "./support/logs.js";
import { MemoryTransport } from "./support/memory-transport.js";
import { TestBroker, TestRegistry, testSelector } from "./support/stack.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fast = { attemptTimeout: 40, retries: 2, backoff: () => 1 };

async function world() {
  const registry = new TestRegistry();
  const transport = new MemoryTransport();
  const broker = new TestBroker();
  const selector = testSelector(registry);
  const base = { registry, transport, broker, selector, argv: [], env: {}, address: "127.0.0.1:0" };
  const server = jsonLogger("warn");
  const caller = jsonLogger("debug");
  let runs = 0;
  const slow = {
    async charge() {
      runs++;
      await sleep(70);
      return { ok: true };
    },
    async careful(ctx: Context) {
      runs++;
      await sleep(70);
      ctx.signal.throwIfAborted();
      return { ok: true };
    },
  };
  const srv = createService({ name: "pay", logger: server.logger, ...base }).handle("Pay", slow, {
    endpoints: { careful: { idempotent: false } },
  });
  const cli = createService({ name: "shop", logger: caller.logger, ...base });
  started.push(srv, cli);
  await srv.start();
  return {
    registry,
    client: cli.client,
    serverLines: server.lines,
    clientLines: caller.lines,
    runs: () => runs,
  };
}

describe("retries", () => {
  it("run a slow handler once per attempt, and both sides log the abandoned attempts", async () => {
    const w = await world();
    await expect(w.client.call("pay", "Pay.Charge", {}, fast)).rejects.toMatchObject({ code: 408 });
    expect(w.runs()).toBe(3);
    const retried = w.clientLines.filter((l) => l.level === "warn");
    expect(retried).toHaveLength(2);
    expect(retried[0]).toMatchObject({
      msg: expect.stringMatching(/^pay Pay\.Charge: attempt 1 of 3 to \S+ timed out after 40 ms; retrying/),
      service: "shop",
      target: "pay",
      endpoint: "Pay.Charge",
      attempt: 1,
      timeout_ms: 40,
    });
    await sleep(120); // the server's handlers finish after the caller gave up
    const late = w.serverLines.filter((l) => l.msg.includes("after its caller's deadline"));
    expect(late).toHaveLength(3);
    expect(late[0]).toMatchObject({ level: "warn", endpoint: "Pay.Charge", request_id: "0" });
    expect(late[0]!.late_ms).toBeGreaterThan(0);
  });

  it("stop after the first attempt of a call marked idempotent: false", async () => {
    const w = await world();
    await expect(
      w.client.call("pay", "Pay.Charge", {}, { ...fast, idempotent: false }),
    ).rejects.toMatchObject({ code: 408, id: "go.micro.client" });
    expect(w.runs()).toBe(1);
    expect(w.clientLines.find((l) => l.msg.includes("not retried"))).toMatchObject({ level: "debug" });
  });

  it("follow the endpoint's advertised idempotent: false, read from the selector's records", async () => {
    const w = await world();
    const [svc] = await w.registry.getService("pay");
    expect(svc!.endpoints.find((e) => e.name === "Pay.Careful")!.metadata).toEqual({ idempotent: "false" });
    expect(svc!.endpoints.find((e) => e.name === "Pay.Charge")!.metadata).toEqual({});
    await expect(w.client.call("pay", "Pay.Careful", {}, fast)).rejects.toMatchObject({ code: 408 });
    expect(w.runs()).toBe(1);
    // a call may still say it is safe to repeat
    await expect(
      w.client.call("pay", "Pay.Careful", {}, { ...fast, idempotent: true }),
    ).rejects.toMatchObject({ code: 408 });
    expect(w.runs()).toBe(4);
    // a handler that stops at ctx.signal is not reported late
    await sleep(120);
    expect(w.serverLines.filter((l) => l.endpoint === "Pay.Careful" && l.late_ms !== undefined)).toEqual([]);
  });

  it("still retry a failed dial when not idempotent: the request never left", async () => {
    const w = await world();
    await w.registry.register({
      name: "pay",
      version: "latest",
      endpoints: [],
      nodes: [{ id: "dead", address: "127.0.0.1:1", metadata: { protocol: "mucp" } }],
    });
    const deadFirst: Filter = (services) =>
      services.map((s) => ({ ...s, nodes: [...s.nodes].sort((a) => (a.id === "dead" ? -1 : 1)) }));
    const rsp = await w.client.call(
      "pay",
      "Pay.Charge",
      {},
      { idempotent: false, backoff: () => 1, select: { filters: [deadFirst] } },
    );
    expect(rsp).toEqual({ ok: true });
    expect(w.runs()).toBe(1);
    expect(w.clientLines.some((l) => l.level === "debug" && l.msg.includes("connection error"))).toBe(true);
  });
});

it("a service without debug logs builds no per-call line", async () => {
  const { logger, lines } = jsonLogger("info");
  const registry = new TestRegistry();
  const base = {
    registry,
    transport: new MemoryTransport(),
    broker: new TestBroker(),
    selector: testSelector(registry),
    argv: [],
    env: {},
  };
  const srv = createService({ name: "a", logger, ...base }).handle("A", { async b() {} });
  const cli = createService({ name: "c", logger: silentLogger, ...base });
  started.push(srv, cli);
  await srv.start();
  await cli.client.call("a", "A.B", {});
  expect(lines.filter((l) => l.level === "debug")).toEqual([]);
});
