// `micro mcp serve` over stdio, as an MCP client application runs it: the SDK's stdio client spawns
// our CLI, which finds a real TS service (in this process) and interop's real Go peer (go-micro
// v5.30) over mdns on loopback, go-micro's default registry.
import "@micro/defaults";
import type { MicroService } from "@micro/core";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callWithProgress, connect, eventually, type TestClient, textOf } from "./support/clients.js";
import {
  bin,
  peerEnv,
  prerequisites,
  skipOrFail,
  startGoPeer,
  stopAll,
  unique,
} from "./support/processes.js";
import { ORDER_DESCRIPTION, startShop } from "./support/shop.js";

const missing = prerequisites(["cli"]);
const noGo = missing ? undefined : prerequisites(["goPeer"]);
const prefix = unique("mcp");
const shopName = `${prefix}-shop`;
const goName = `${prefix}-go`;

describe.skipIf(missing)(`micro mcp serve (stdio)${missing ? ` — skipped: ${missing}` : ""}`, () => {
  let shop: MicroService;
  let c: TestClient;
  let stderr = "";
  const errors: Error[] = [];
  /** Set when mdns carries nothing here: the tests skip with it. */
  let noMdns: string | undefined;

  const names = async () => (await c.client.listTools()).tools.map((t) => t.name);

  beforeAll(async () => {
    shop = await startShop(shopName, { registry: "mdns", env: { MICRO_MDNS_INTERFACE: "127.0.0.1" } });
    const transport = new StdioClientTransport({
      command: process.execPath,
      // only this run's services: other tests may share mdns on this machine
      args: [bin.cli, "mcp", "serve", "--include", `${prefix}-*`, "--exclude", "*.Tally.*"],
      env: peerEnv(),
      stderr: "pipe",
    });
    transport.stderr?.on("data", (d) => {
      stderr += d;
    });
    c = await connect(transport);
    c.client.onerror = (e) => errors.push(e);
    try {
      await eventually(
        async () => (await names()).includes(`${shopName}.Shop.Order`),
        `${shopName} over mdns`,
        15_000,
      );
    } catch {
      noMdns = skipOrFail(`micro mcp serve never saw ${shopName} over mdns; stderr: ${stderr}`);
    }
  }, 40_000);
  afterAll(async () => {
    await c?.close();
    await shop?.stop();
    await stopAll();
  }, 20_000);

  it("initializes at the newest protocol revision; stdout carries nothing but the protocol", async (ctx) => {
    if (noMdns) return ctx.skip();
    expect(c.protocolVersion()).toBe(LATEST_PROTOCOL_VERSION);
    expect(c.client.getServerCapabilities()?.tools?.listChanged).toBe(true);
  });

  it("lists the TS service's tools with their schemas and descriptions", async (ctx) => {
    if (noMdns) return ctx.skip();
    const { tools } = await c.client.listTools();
    const order = tools.find((t) => t.name === `${shopName}.Shop.Order`)!;
    expect(order.description).toContain(ORDER_DESCRIPTION);
    expect(order.inputSchema).toMatchObject({
      type: "object",
      title: "OrderRequest",
      properties: { items: { type: "array", items: { $ref: "#/$defs/Item" } } },
    });
    expect(tools.map((t) => t.name)).not.toContain(`${shopName}.Shop.Chat`);
  });

  it("calls, errors and streams through the CLI", async (ctx) => {
    if (noMdns) return ctx.skip();
    const ok = await c.client.callTool({
      name: `${shopName}.Shop.Order`,
      arguments: { customer: "cy", items: [{ sku: "Q", qty: 7 }] },
    });
    expect(ok.structuredContent).toEqual({ id: "order-cy", total: 7, lines: [{ sku: "Q", qty: 7 }] });
    const bad = await c.client.callTool({ name: `${shopName}.Shop.Fail`, arguments: { code: 418 } });
    expect(bad.isError).toBe(true);
    expect(JSON.parse(textOf(bad as never))).toMatchObject({
      id: shopName,
      code: 418,
      detail: "failed with 418",
    });
    const { result, progress } = await callWithProgress(c.client, `${shopName}.Shop.Watch`, { to: 2 });
    expect(progress.map((p) => p.message)).toEqual(['{"n":0}', '{"n":1}']);
    expect(result.structuredContent).toEqual({ messages: [{ n: 0 }, { n: 1 }] });
  });

  describe.skipIf(noGo)(`the Go peer${noGo ? ` — skipped: ${noGo}` : ""}`, () => {
    let go: Awaited<ReturnType<typeof startGoPeer>> | undefined;

    it("a Go service appearing sends tools/list_changed and adds its tools", async (ctx) => {
      if (noMdns) return ctx.skip();
      const changed = c.nextListChange(20_000);
      go = await startGoPeer(goName);
      await changed;
      await eventually(
        async () => (await names()).includes(`${goName}.Greeter.Hello`),
        `${goName} tools`,
        15_000,
      );
      const goTools = (await names()).filter((n) => n.startsWith(`${goName}.`));
      // Tally is excluded by the filter
      expect(goTools).toEqual([
        `${goName}.Greeter.BidiStream`,
        `${goName}.Greeter.Fail`,
        `${goName}.Greeter.Hello`,
        `${goName}.Greeter.ServerStream`,
        `${goName}.Greeter.Slow`,
      ]);
    }, 60_000);

    it("schemas as go-micro's extractor advertises the Go types", async (ctx) => {
      if (noMdns || !go) return ctx.skip();
      const { tools } = await c.client.listTools();
      const hello = tools.find((t) => t.name === `${goName}.Greeter.Hello`)!;
      expect(hello.inputSchema).toEqual({
        title: "Request",
        type: "object",
        properties: { name: { type: "string" } },
      });
      expect(hello.outputSchema).toEqual({
        title: "Response",
        type: "object",
        properties: { msg: { type: "string" } },
      });
      expect(hello.description).toBe(`Call Greeter.Hello on ${goName} service`);
      // protoc-gen-micro registers every stream as Method(ctx, stream): its message type is not advertised
      const stream = tools.find((t) => t.name === `${goName}.Greeter.ServerStream`)!;
      expect(stream.inputSchema).toEqual({
        type: "object",
        description: "The stream's one message: go-micro does not advertise its type.",
      });
      expect(stream._meta?.["micro/stream"]).toBe("unknown");
    });

    it("calls the Go service: reply, micro error, server stream with progress", async (ctx) => {
      if (noMdns || !go) return ctx.skip();
      const hello = await c.client.callTool({ name: `${goName}.Greeter.Hello`, arguments: { name: "John" } });
      expect(hello.structuredContent).toEqual({ msg: "Hello John" });
      const fail = await c.client.callTool({ name: `${goName}.Greeter.Fail`, arguments: { name: "409" } });
      expect(fail.isError).toBe(true);
      expect(JSON.parse(textOf(fail as never))).toMatchObject({
        id: goName,
        code: 409,
        detail: "failed: 409",
      });
      const { result, progress } = await callWithProgress(c.client, `${goName}.Greeter.ServerStream`, {
        count: 3,
      });
      expect(result.isError).toBeFalsy();
      expect(progress.map((p) => p.progress)).toEqual([1, 2, 3]);
      const messages = (result.structuredContent as { messages: { count?: string | number }[] }).messages;
      // protojson leaves out zero values and writes int64 as a string
      expect(messages.map((m) => Number(m.count ?? 0))).toEqual([0, 1, 2]);
      // the bidi handler reads until EOF: one message in, its reply, the end
      const bidi = await c.client.callTool({
        name: `${goName}.Greeter.BidiStream`,
        arguments: { stroke: 5 },
      });
      expect(bidi.isError).toBeFalsy();
      const pongs = (bidi.structuredContent as { messages: { stroke?: string | number }[] }).messages;
      expect(pongs.map((m) => Number(m.stroke))).toEqual([5]);
    });

    it("the Go service leaving sends tools/list_changed and removes its tools", async (ctx) => {
      if (noMdns || !go) return ctx.skip();
      const changed = c.nextListChange(20_000);
      await go.stop();
      await changed;
      await eventually(
        async () => !(await names()).some((n) => n.startsWith(`${goName}.`)),
        `${goName} gone`,
        15_000,
      );
    }, 40_000);
  });

  it("the client saw no protocol error (a stray stdout line, a late progress notification)", (ctx) => {
    if (noMdns) return ctx.skip();
    expect(errors).toEqual([]);
  });
});
