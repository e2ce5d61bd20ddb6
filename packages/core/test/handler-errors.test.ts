// Errors thrown by handlers: logged by the server (error level, endpoint, request id, stack), sent to
// the caller as go-micro does by default, and hidden behind a generic 500 with --server_hide_errors.
import { afterEach, describe, expect, it } from "vitest";
import { type Context, createService, MicroError, type MicroService, silentLogger } from "../src/index.js";
import { jsonLogger } from "./support/logs.js";
import { MemoryTransport } from "./support/memory-transport.js";
import { TestBroker, TestRegistry, testSelector } from "./support/stack.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function world(server: Record<string, unknown> = {}) {
  const registry = new TestRegistry();
  const transport = new MemoryTransport();
  const broker = new TestBroker();
  const selector = testSelector(registry);
  const base = { registry, transport, broker, selector, env: {}, address: "127.0.0.1:0" };
  const { logger, lines } = jsonLogger("info");
  const srv = createService({ name: "shop", argv: [], logger, ...base, ...server }).handle("Shop", {
    async buy() {
      throw new TypeError("cannot read properties of undefined (reading 'price')");
    },
    async refuse() {
      throw MicroError.forbidden("shop", "not yours");
    },
    async *list(_ctx: Context, _req: unknown) {
      yield { item: 1 };
      throw new Error("db gone");
    },
  });
  const cli = createService({ name: "caller", argv: [], logger: silentLogger, ...base });
  started.push(srv, cli);
  await srv.start();
  return { client: cli.client, lines };
}

describe("errors thrown by handlers", () => {
  it("are logged at error level with endpoint, request id and stack, and sent as a 500 by default", async () => {
    const { client, lines } = await world();
    await expect(client.call("shop", "Shop.Buy", {})).rejects.toMatchObject({
      id: "go.micro.server",
      code: 500,
      detail: "cannot read properties of undefined (reading 'price')",
    });
    const line = lines.find((l) => l.level === "error");
    expect(line).toMatchObject({
      msg: "Shop.Buy failed: cannot read properties of undefined (reading 'price')",
      service: "shop",
      endpoint: "Shop.Buy",
      request_id: "0",
      error: "cannot read properties of undefined (reading 'price')",
    });
    expect(line!.node).toMatch(/^shop-/);
    expect(line!.stack).toMatch(/^TypeError: cannot read[\s\S]*handler-errors\.test\.ts/);
    expect(line!.ref).toMatch(/^[0-9a-f]{8}$/);
  });

  it("pass MicroErrors thrown on purpose as they are, without an error line", async () => {
    const { client, lines } = await world({ hideErrors: true });
    await expect(client.call("shop", "Shop.Refuse", {})).rejects.toMatchObject({
      id: "shop",
      code: 403,
      detail: "not yours",
    });
    expect(lines.filter((l) => l.level === "error")).toEqual([]);
  });

  it("with hideErrors reach the caller as a generic 500 naming the request and the log line", async () => {
    const { client, lines } = await world({ hideErrors: true });
    const err = await client.call("shop", "Shop.Buy", {}).catch((e: MicroError) => e);
    expect(err).toBeInstanceOf(MicroError);
    const line = lines.find((l) => l.level === "error")!;
    expect(err).toMatchObject({
      id: "go.micro.server",
      code: 500,
      status: "Internal Server Error",
      detail: `internal server error (request 0, ref ${line.ref})`,
    });
    expect(line.error).toBe("cannot read properties of undefined (reading 'price')");
    // go-micro's router texts are not the handler's and stay as they are
    await expect(client.call("shop", "Shop.Nope", {})).rejects.toMatchObject({
      code: 0,
      detail: "rpc: can't find method Nope",
    });
  });

  it("with --server_hide_errors hide a stream handler's error too", async () => {
    const { client, lines } = await world({ argv: ["--server_hide_errors"] });
    const got: unknown[] = [];
    const err = await (async () => {
      for await (const m of client.stream("shop", "Shop.List", {})) got.push(m);
    })().catch((e: MicroError) => e);
    expect(got).toEqual([{ item: 1 }]);
    const line = lines.find((l) => l.level === "error")!;
    expect(line).toMatchObject({ endpoint: "Shop.List", error: "db gone" });
    expect(err).toMatchObject({ code: 500, detail: expect.stringMatching(/^internal server error \(/) });
    expect((err as MicroError).detail).toContain(`ref ${line.ref}`);
  });
});
