// A node dying mid-call: the request left, then the connection broke (EOF). go-micro does not retry
// that; a call marked idempotent (in its options or by the endpoint's metadata) is retried on
// another node, within its retries and deadline. Real processes killed under load:
// packages/cli/test/node-loss.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import {
  createService,
  type Filter,
  MicroError,
  type MicroService,
  type Socket,
  type TransportMessage,
} from "../src/index.js";
import { markUnprocessed } from "../src/plugin-kit.js";
import { jsonLogger } from "./support/logs.js";
import { MemoryTransport } from "./support/memory-transport.js";
import { TestRegistry, testServiceOptions } from "./support/stack.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const DYING = "127.0.0.1:9";

/** The memory transport, plus a node at DYING that takes the request and then drops the connection. */
class DyingNodeTransport extends MemoryTransport {
  /** Requests the dying node received before its connection broke. */
  received = 0;
  /** The node says no handler read the request (a multiplexed server closing an idle socket). */
  refuse = false;

  override async dial(address: string): Promise<Socket> {
    if (address !== DYING) return super.dial(address);
    return {
      local: "127.0.0.1:1",
      remote: DYING,
      closed: false,
      send: async (_m: TransportMessage) => {
        this.received++;
      },
      recv: async () => {
        if (this.refuse)
          throw markUnprocessed(
            MicroError.unavailable("go.micro.transport", "request refused: stream closed unread"),
          );
        throw MicroError.internal("go.micro.transport", "EOF");
      },
      close: async () => {},
    };
  }
}

// the dying node is always tried first, so every call meets it
const dyingFirst: Filter = (services) =>
  services.map((s) => ({ ...s, nodes: [...s.nodes].sort((a) => (a.id === "dying" ? -1 : 1)) }));

async function world(endpointIdempotent?: boolean) {
  const registry = new TestRegistry();
  const transport = new DyingNodeTransport();
  const base = testServiceOptions({ registry, transport });
  let runs = 0;
  const caller = jsonLogger("debug");
  const srv = createService({ name: "stock", ...base, logger: jsonLogger("warn").logger }).handle(
    "Stock",
    {
      async get() {
        runs++;
        return { n: 1 };
      },
      async fail() {
        runs++;
        // a handler's error that reads like a broken connection is an answer, not a lost connection
        throw new MicroError("go.micro.client.transport", "EOF", 500);
      },
    },
    endpointIdempotent === undefined ? {} : { endpoints: { get: { idempotent: endpointIdempotent } } },
  );
  const cli = createService({ name: "shop", ...base, logger: caller.logger });
  started.push(srv, cli);
  await srv.start();
  // the dying node serves the same endpoints (its record is the live node's, at another address)
  const [svc] = await registry.getService("stock");
  await registry.register({
    ...svc!,
    nodes: [{ id: "dying", address: DYING, metadata: { protocol: "mucp" } }],
  });
  return { client: cli.client, transport, lines: caller.lines, runs: () => runs, registry };
}

const opts = { backoff: () => 1, select: { filters: [dyingFirst] } };

describe("a connection lost after the request left", () => {
  it("is not retried by default, as in go-micro: the call fails with EOF", async () => {
    const w = await world();
    await expect(w.client.call("stock", "Stock.Get", {}, opts)).rejects.toMatchObject({
      id: "go.micro.client.transport",
      code: 500,
      detail: "EOF",
    });
    expect(w.transport.received).toBe(1);
    expect(w.runs()).toBe(0);
  });

  it("is retried on another node for a call marked idempotent: true", async () => {
    const w = await world();
    await expect(w.client.call("stock", "Stock.Get", {}, { ...opts, idempotent: true })).resolves.toEqual({
      n: 1,
    });
    expect(w.transport.received).toBe(1);
    expect(w.runs()).toBe(1);
    const warned = w.lines.filter((l) => l.level === "warn");
    expect(warned).toHaveLength(1);
    expect(warned[0]!.msg).toMatch(
      /^stock Stock\.Get: attempt 1 of 6 to 127\.0\.0\.1:9 lost its connection \(EOF\); retrying elsewhere/,
    );
  });

  it('is retried when the endpoint advertises idempotent: "true"', async () => {
    const w = await world(true);
    const [svc] = await w.registry.getService("stock");
    expect(svc!.endpoints.find((e) => e.name === "Stock.Get")!.metadata).toEqual({ idempotent: "true" });
    await expect(w.client.call("stock", "Stock.Get", {}, opts)).resolves.toEqual({ n: 1 });
    expect(w.runs()).toBe(1);
    // the call may still say it is not safe to repeat
    await expect(
      w.client.call("stock", "Stock.Get", {}, { ...opts, idempotent: false }),
    ).rejects.toMatchObject({
      detail: "EOF",
    });
  });

  it('is not retried when the endpoint advertises idempotent: "false"', async () => {
    const w = await world(false);
    await expect(w.client.call("stock", "Stock.Get", {}, opts)).rejects.toMatchObject({ detail: "EOF" });
    expect(w.runs()).toBe(0);
  });

  it("keeps to the retry count and the call's deadline", async () => {
    const w = await world();
    await expect(
      w.client.call("stock", "Stock.Get", {}, { ...opts, idempotent: true, retries: 0 }),
    ).rejects.toMatchObject({ detail: "EOF" });
    // the backoff before the second attempt would end after the deadline: the loss is reported
    await expect(
      w.client.call("stock", "Stock.Get", {}, { ...opts, idempotent: true, timeout: 50, backoff: () => 100 }),
    ).rejects.toMatchObject({ detail: "EOF" });
    expect(w.runs()).toBe(0);
  });

  it("does not cover an error the server answered with, whatever its text", async () => {
    const w = await world();
    const live: Filter = (services) =>
      services.map((s) => ({ ...s, nodes: s.nodes.filter((n) => n.id !== "dying") }));
    await expect(
      w.client.call(
        "stock",
        "Stock.Fail",
        {},
        { idempotent: true, backoff: () => 1, select: { filters: [live] } },
      ),
    ).rejects.toMatchObject({ id: "go.micro.client.transport", detail: "EOF" });
    expect(w.runs()).toBe(1);
  });

  it("a request the server says it never read is retried elsewhere, even when not idempotent", async () => {
    const w = await world(false);
    w.transport.refuse = true;
    await expect(w.client.call("stock", "Stock.Get", {}, { ...opts, idempotent: false })).resolves.toEqual({
      n: 1,
    });
    expect(w.transport.received).toBe(1);
    expect(w.runs()).toBe(1);
  });
});
