// The default stack end to end in one process (memory registry for isolation, everything else
// real): wrappers, deadlines, and bad input over the real http transport.
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import "../src/index.js";
import {
  type Context,
  createClient,
  createService,
  Frame,
  MicroError,
  type MicroService,
  silentLogger,
} from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function world(extra: Record<string, unknown> = {}) {
  const registry = new MemoryRegistry();
  const opts = {
    registry,
    broker: "memory",
    argv: [],
    env: {},
    logger: silentLogger,
    address: "127.0.0.1:0",
  };
  const service = createService({ name: "svc", ...opts, ...extra }) as MicroService;
  const client = createClient({ ...opts, retries: 0 });
  cleanup.push(
    () => client.close(),
    () => service.stop(),
  );
  return { registry, service, client, opts };
}

const handler = {
  async echo(ctx: Context, req: unknown) {
    return {
      req,
      deadlineIn: ctx.deadline ? ctx.deadline - Date.now() : null,
      md: ctx.metadata.get("X-Trace") ?? null,
    };
  },
  async wait(ctx: Context) {
    await new Promise<void>((resolve) =>
      ctx.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    return { aborted: String(ctx.signal.reason?.code ?? ctx.signal.reason) };
  },
  async *ticks(_ctx: Context, req: { n: number }) {
    for (let i = 0; i < req.n; i++) {
      yield { i };
      await new Promise((r) => setTimeout(r, 20));
    }
  },
};

describe("default stack", () => {
  it("runs handler, call and client wrappers in order", async () => {
    const order: string[] = [];
    const { service, client } = await world({
      wrapHandler: [
        (next: any) => async (ctx: Context, req: unknown) => {
          order.push("handler-outer");
          return next(ctx, req);
        },
        (next: any) => async (ctx: Context, req: unknown) => {
          order.push("handler-inner");
          return next(ctx, req);
        },
      ],
    });
    service.handle("H", handler);
    await service.start();
    const wrapped = createClient({
      registry: (await service.stack()).registry,
      broker: "memory",
      argv: [],
      env: {},
      logger: silentLogger,
      wrapCall: [
        (next) => async (node, req, opts) => {
          order.push(`call:${node.id === `svc-${service.server.id}`}`);
          return next(node, req, opts);
        },
      ],
      wrapClient: [
        (c) => ({
          ...c,
          call: (s, e, r, o) => {
            order.push("client");
            return c.call(s, e, r, { ...o, metadata: { "X-Trace": "t1" } });
          },
        }),
      ],
    });
    cleanup.push(() => wrapped.close());
    const rsp = await wrapped.call<{ md: string }, unknown>("svc", "H.Echo", { a: 1 });
    expect(rsp.md).toBe("t1");
    expect(order).toEqual(["client", "call:true", "handler-outer", "handler-inner"]);
    void client;
  });

  it("turns the Timeout header into ctx.deadline and aborts ctx.signal at it", async () => {
    const { service, client } = await world();
    service.handle("H", handler);
    await service.start();
    const rsp = await client.call<{ deadlineIn: number }, unknown>(
      "svc",
      "H.Echo",
      {},
      { attemptTimeout: 2000 },
    );
    expect(rsp.deadlineIn).toBeGreaterThan(1500);
    expect(rsp.deadlineIn).toBeLessThanOrEqual(2000);
    // the server-side signal aborts at the deadline; the client gives up at the same moment
    await expect(client.call("svc", "H.Wait", {}, { attemptTimeout: 150 })).rejects.toMatchObject({
      code: 408,
    });
  });

  it("answers bad JSON, unknown endpoints and unknown Content-Types with MicroErrors", async () => {
    const { service, client } = await world();
    service.handle("H", handler);
    await service.start();
    // go-micro's router errors are plain text (no id or code): the codec's own words for a bad body
    await expect(client.call("svc", "H.Echo", new Frame(Buffer.from("{not json")))).rejects.toMatchObject({
      code: 0,
      id: "",
      detail: expect.stringContaining("json"),
    });
    await expect(client.call("svc", "H.Nope", {})).rejects.toMatchObject({
      code: 0,
      detail: "rpc: can't find method Nope",
    });
    await expect(
      client.call("svc", "H.Echo", {}, { contentType: "application/x-nope" }),
    ).rejects.toMatchObject({
      code: 400,
    });
    expect(await client.call("svc", "H.Echo", { ok: 1 })).toMatchObject({ req: { ok: 1 } });
  });

  it("gives the caller a MicroError when the connection dies mid-stream, and keeps serving", async () => {
    const { service, client } = await world();
    service.handle("H", handler);
    await service.start();
    const target = service.server.address();
    const [host, port] = target.split(":");
    const sockets: Socket[] = [];
    const proxy: Server = createServer((inbound) => {
      const out = connect(Number(port), host);
      sockets.push(inbound, out);
      inbound.pipe(out).pipe(inbound);
      inbound.on("error", () => {});
      out.on("error", () => {});
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    cleanup.push(() => new Promise((r) => proxy.close(r)));
    const via = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const s = client.stream<{ i: number }, { n: number }>("svc", "H.Ticks", { n: 50 }, { address: via });
    expect(await s.recv()).toEqual({ i: 0 });
    for (const sock of sockets) sock.destroy();
    let err: unknown;
    try {
      for (let i = 0; i < 60; i++) await s.recv();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MicroError);
    expect((err as MicroError).detail).toMatch(/EOF/);
    expect(await client.call("svc", "H.Echo", { after: true })).toMatchObject({ req: { after: true } });
  });

  it("skips a dead node and reaches a live one", async () => {
    const { service, client, registry } = await world();
    service.handle("H", handler);
    await service.start();
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as { port: number }).port;
    await new Promise((r) => dead.close(r));
    await registry.register({
      name: "svc",
      version: "latest",
      endpoints: [],
      nodes: [{ id: "svc-dead", address: `127.0.0.1:${port}`, metadata: { protocol: "mucp" } }],
    });
    const c = createClient({ registry, broker: "memory", argv: [], env: {}, logger: silentLogger });
    cleanup.push(() => c.close());
    for (let i = 0; i < 5; i++) expect(await c.call("svc", "H.Echo", { i })).toMatchObject({ req: { i } });
    void client;
  });
});
