// A service served by several processes, the parts core decides alone: the option and its errors,
// one process by default, what a worker's server does not do (register, subscribe to a network
// broker), what a primary registers (its pool's address, the workers count), the restart backoff and
// the IPC messages. Real processes sharing a port and a registry: packages/cli/test/workers.test.ts.
import cluster from "node:cluster";
import { afterEach, describe, expect, it } from "vitest";
import { CORE_FLAGS } from "../src/config/core-flags.js";
import { createFunction, createService, type Listener, type MicroService } from "../src/index.js";
import { resolveConfig } from "../src/internal.js";
import { WORKERS_MARKER } from "../src/plugin-kit.js";
import { RpcServer } from "../src/server/server.js";
import { isListening, isStop, listeningMessage, stopMessage } from "../src/workers/messages.js";
import { restartDelay } from "../src/workers/pool.js";
import { workerEnv, workerRole } from "../src/workers/role.js";
import { MemoryTransport } from "./support/memory-transport.js";
import { TestBroker, TestRegistry, testServiceOptions } from "./support/stack.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

const workersFrom = (sources: Parameters<typeof resolveConfig>[1]) =>
  resolveConfig(CORE_FLAGS, sources).server_workers;

describe("--server_workers", () => {
  it("is 1 unless code, MICRO_SERVER_WORKERS or the flag says more (code < env < flag)", () => {
    expect(workersFrom({ env: {}, argv: [] })).toBe(1);
    expect(workersFrom({ options: { server_workers: 3 }, env: {}, argv: [] })).toBe(3);
    expect(workersFrom({ options: { server_workers: 3 }, env: { MICRO_SERVER_WORKERS: "4" } })).toBe(4);
    expect(workersFrom({ env: { MICRO_SERVER_WORKERS: "4" }, argv: ["--server-workers", "2"] })).toBe(2);
  });

  it("refuses anything but a whole number of at least 1, naming where it came from", () => {
    const error = (sources: Parameters<typeof resolveConfig>[1]) => {
      try {
        workersFrom(sources);
      } catch (err) {
        return (err as Error).message;
      }
      return "no error";
    };
    expect(error({ env: {}, argv: ["--server_workers=abc"] })).toBe(
      'MICRO_ERR_INVALID_OPTION: --server_workers: expected an integer, got "abc"',
    );
    expect(error({ env: { MICRO_SERVER_WORKERS: "0" } })).toBe(
      'MICRO_ERR_INVALID_OPTION: MICRO_SERVER_WORKERS: expected an integer of at least 1, got "0"',
    );
    expect(error({ env: {}, argv: ["--server_workers=-2"] })).toContain("of at least 1");
    expect(error({ options: { server_workers: 1.5 }, env: {} })).toBe(
      "MICRO_ERR_INVALID_OPTION: option server_workers: expected an integer of at least 1, got 1.5",
    );
  });

  it("a bad value fails start() with that one line", async () => {
    const service = createService({ name: "w.bad", ...testServiceOptions(), argv: ["--server_workers=abc"] });
    await expect(service.start()).rejects.toThrow(
      /^MICRO_ERR_INVALID_OPTION: --server_workers: expected an integer, got "abc"$/,
    );
  });

  it("by default one process serves: nothing forked, no workers metadata", async () => {
    const registry = new TestRegistry();
    const service = createService({ name: "w.one", ...testServiceOptions({ registry }) });
    started.push(service);
    service.handle("Pid", { async get() {} });
    await service.start();
    expect(service.config().server_workers).toBe(1);
    expect(service.worker).toBeUndefined();
    expect(Object.keys(cluster.workers ?? {})).toEqual([]);
    const [svc] = await registry.getService("w.one");
    expect(svc!.nodes[0]!.metadata).not.toHaveProperty(WORKERS_MARKER);
  });

  it("a function serves one request in one process: workers are refused", async () => {
    const fn = createFunction({ name: "w.fn", ...testServiceOptions(), workers: 2 });
    await expect(fn.start()).rejects.toThrow(/--server_workers: a function serves one request/);
  });
});

function serverOptions(extra: Partial<ConstructorParameters<typeof RpcServer>[0]>) {
  const registry = new TestRegistry();
  return {
    registry,
    options: {
      name: "w.srv",
      registerTtl: 60_000,
      registerInterval: 0,
      transport: new MemoryTransport(),
      registry,
      logger: testServiceOptions().logger,
      address: "127.0.0.1:0",
      ...extra,
    },
  };
}

describe("a worker's server", () => {
  it("serves, but registers nothing and leaves a network broker's subscriptions to its primary", async () => {
    const broker = new TestBroker();
    const { registry, options } = serverOptions({ broker, worker: true });
    const server = new RpcServer(options);
    server.handle("Pid", { async get() {} });
    server.subscribe("w.events", async () => {});
    await server.start();
    expect(server.address()).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.services.size).toBe(0);
    expect(broker.subscribeOptions).toEqual([]);
    // a subscriber added later is not subscribed either; a handler added later registers nothing
    server.subscribe("w.later", async () => {});
    server.handle("More", { async get() {} });
    await new Promise((r) => setTimeout(r, 10));
    expect(broker.subscribeOptions).toEqual([]);
    expect(registry.services.size).toBe(0);
    await server.stop();
  });

  it("subscribes to a process-local broker, whose messages only its own process sees", async () => {
    const broker = Object.assign(new TestBroker(), { processLocal: true });
    const { options } = serverOptions({ broker, worker: true });
    const server = new RpcServer(options);
    const got: unknown[] = [];
    server.subscribe("w.events", async (_ctx, msg) => void got.push(msg));
    await server.start();
    expect(broker.subscribeOptions.map(([t]) => t)).toEqual(["w.events"]);
    await broker.publish("w.events", {
      header: { "Content-Type": "application/json" },
      body: Buffer.from('{"n":1}'),
    });
    expect(got).toEqual([{ n: 1 }]);
    await server.stop();
  });
});

describe("a primary's server", () => {
  it("registers the address its listener (the worker pool) reports, and closes it after deregistering", async () => {
    const events: string[] = [];
    const pool: Listener = {
      addr: () => "127.0.0.1:4567",
      accept() {},
      async close() {
        events.push("workers stopped");
      },
    };
    const { registry, options } = serverOptions({
      listen: async () => pool,
      metadata: { [WORKERS_MARKER]: "2" },
    });
    const deregister = registry.deregister.bind(registry);
    registry.deregister = async (s) => {
      events.push("deregistered");
      await deregister(s);
    };
    const server = new RpcServer(options);
    await server.start();
    const [svc] = await registry.getService("w.srv");
    expect(svc!.nodes).toEqual([
      expect.objectContaining({
        address: "127.0.0.1:4567",
        metadata: expect.objectContaining({ [WORKERS_MARKER]: "2", protocol: "mucp" }),
      }),
    ]);
    await server.stop();
    expect(events).toEqual(["deregistered", "workers stopped"]);
  });
});

describe("the worker pool's pieces", () => {
  it("restarts a dying worker after a backoff that doubles from 100 ms and stops growing at 5 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelay)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it("says what it needs over IPC in tagged messages, leaving an application's own alone", () => {
    expect(isListening(listeningMessage("127.0.0.1:1"))).toBe(true);
    expect(isStop(stopMessage())).toBe(true);
    expect(isStop(listeningMessage("x"))).toBe(false);
    expect(isListening({ address: "127.0.0.1:1" })).toBe(false);
    expect(isStop("stop")).toBe(false);
  });

  it("a process is a worker only when cluster forked it with a number and the node's id", () => {
    // vitest's own process is no cluster worker, whatever its environment says
    expect(workerRole(workerEnv(2, "abc"))).toBeUndefined();
    expect(workerEnv(2, "abc")).toEqual({ MICRO_WORKER_INDEX: "2", MICRO_WORKER_SERVER_ID: "abc" });
  });
});
