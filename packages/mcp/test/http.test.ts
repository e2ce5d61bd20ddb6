// Streamable HTTP, driven by the SDK's own client: the route mounted on the gateway (its auth check,
// scopes and limits) and the standalone server, against real TS services on the http transport found
// through a shared memory registry.
import "@micro/defaults";
import { request } from "node:http";
import { createService, type MicroService } from "@micro/core";
import { createGateway, createJwtAuth, type Gateway, signJwt } from "@micro/gateway";
import { MemoryRegistry } from "@micro/registry-memory";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenMcp, type McpListener, mcpRoute } from "../src/index.js";
import {
  callWithProgress,
  connect,
  eventually,
  httpTransport,
  type TestClient,
  textOf,
} from "./support/clients.js";
import { ORDER_DESCRIPTION, ORDER_EXAMPLE, startShop } from "./support/shop.js";

const SECRET = "mcp-test-secret-0123456789";
const token = (scopes: string[], sub = "ann") =>
  signJwt({ sub, type: "user", scopes, exp: Math.floor(Date.now() / 1000) + 300 }, { secret: SECRET });

interface Mesh {
  registry: MemoryRegistry;
  shop: MicroService;
  client: MicroService;
  close(): Promise<void>;
}

async function startMesh(): Promise<Mesh> {
  const registry = new MemoryRegistry();
  const shop = await startShop("shop", { registry });
  const client = createService({
    name: "mcp.test.client",
    registry,
    transport: "http",
    broker: "memory",
    argv: [],
    env: {},
    logLevel: "error",
  });
  return {
    registry,
    shop,
    client,
    async close() {
      await shop.stop();
      await client.stop();
    },
  };
}

describe("MCP on the gateway (/mcp), open", () => {
  let m: Mesh;
  let gateway: Gateway;
  let url: string;
  let c: TestClient;
  beforeAll(async () => {
    m = await startMesh();
    gateway = createGateway({
      service: m.client,
      address: "127.0.0.1:0",
      routes: [mcpRoute({ debounce: 10 })],
    });
    url = `http://${await gateway.listen()}/mcp`;
    c = await connect(httpTransport(url));
  });
  afterAll(async () => {
    await c?.close();
    await gateway?.close();
    await m?.close();
  });

  it("speaks the newest protocol revision the SDK knows, with tools that announce list changes", () => {
    expect(c.protocolVersion()).toBe(LATEST_PROTOCOL_VERSION);
    expect(LATEST_PROTOCOL_VERSION).toBe("2025-11-25");
    expect(c.client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    expect(c.client.getServerVersion()?.name).toBe("micro");
  });

  it("lists one tool per callable endpoint, named service.Endpoint; bidi streams are left out", async () => {
    const { tools } = await c.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      "shop.Shop.Big",
      "shop.Shop.Fail",
      "shop.Shop.Order",
      "shop.Shop.Secret",
      "shop.Shop.Ticks",
      "shop.Shop.Watch",
    ]);
    const order = tools.find((t) => t.name === "shop.Shop.Order")!;
    expect(order.description).toBe(`${ORDER_DESCRIPTION}\n\nExample input: ${ORDER_EXAMPLE}`);
    expect(order._meta).toEqual({ "micro/service": "shop", "micro/endpoint": "Shop.Order" });
    expect(tools.find((t) => t.name === "shop.Shop.Fail")!.description).toBe(
      "Call Shop.Fail on shop service",
    );
    expect(tools.find((t) => t.name === "shop.Shop.Big")!.annotations).toEqual({ idempotentHint: false });
  });

  it("input schemas are the service's nested request schema, self-contained; outputs from the reply", async () => {
    const { tools } = await c.client.listTools();
    const order = tools.find((t) => t.name === "shop.Shop.Order")!;
    const item = {
      title: "Item",
      type: "object",
      properties: { sku: { type: "string" }, qty: { type: "integer", format: "int32" } },
    };
    expect(order.inputSchema).toEqual({
      title: "OrderRequest",
      type: "object",
      properties: {
        customer: { type: "string" },
        items: { type: "array", items: { $ref: "#/$defs/Item" } },
        ship_to: { $ref: "#/$defs/Address" },
        labels: { type: "object", additionalProperties: {} },
        note: { type: "string", contentEncoding: "base64" },
      },
      $defs: {
        Address: {
          title: "Address",
          type: "object",
          properties: { street: { type: "string" }, zip: { type: "string" } },
        },
        Item: item,
      },
      examples: [JSON.parse(ORDER_EXAMPLE)],
    });
    // what a reply may hold: int64 also as a string, containers also null
    expect(order.outputSchema).toEqual({
      title: "OrderReply",
      type: "object",
      properties: {
        id: { type: "string" },
        total: { type: ["integer", "string"], format: "int64" },
        lines: { type: ["array", "null"], items: { anyOf: [{ $ref: "#/$defs/Item" }, { type: "null" }] } },
        account: { type: "string" },
      },
      $defs: { Item: item },
    });
    // an endpoint that advertises no types takes any object and promises nothing
    const fail = tools.find((t) => t.name === "shop.Shop.Fail")!;
    expect(fail.inputSchema).toEqual({ type: "object" });
    expect(fail.outputSchema).toBeUndefined();
  });

  it("a call returns the reply as structuredContent and as its JSON text", async () => {
    const r = await c.client.callTool({
      name: "shop.Shop.Order",
      arguments: {
        customer: "ann",
        items: [
          { sku: "A-1", qty: 2 },
          { sku: "B-2", qty: 3 },
        ],
      },
    });
    expect(r.isError).toBeFalsy();
    const lines = [
      { sku: "A-1", qty: 2 },
      { sku: "B-2", qty: 3 },
    ];
    expect(r.structuredContent).toEqual({ id: "order-ann", total: 5, lines });
    expect(JSON.parse(textOf(r as never))).toEqual({ id: "order-ann", total: 5, lines });
  });

  it("64-bit integers keep every digit in the text", async () => {
    const r = await c.client.callTool({ name: "shop.Shop.Big", arguments: {} });
    expect(textOf(r as never)).toBe('{"n":9007199254740993}');
  });

  it("a micro error is an error result with its code and detail, not a protocol failure", async () => {
    const bad = await c.client.callTool({ name: "shop.Shop.Order", arguments: { customer: "ann" } });
    expect(bad.isError).toBe(true);
    expect(JSON.parse(textOf(bad as never))).toEqual({
      id: "shop",
      code: 400,
      detail: "an order needs items",
      status: "Bad Request",
    });
    expect(bad._meta?.["micro/error"]).toEqual({
      id: "shop",
      code: 400,
      detail: "an order needs items",
      status: "Bad Request",
    });
    const fail = await c.client.callTool({ name: "shop.Shop.Fail", arguments: { code: 409 } });
    expect(fail.isError).toBe(true);
    expect(JSON.parse(textOf(fail as never))).toMatchObject({ code: 409, detail: "failed with 409" });
    // an unknown tool is the one protocol error
    await expect(c.client.callTool({ name: "shop.Shop.Nope", arguments: {} })).rejects.toThrow(
      /Unknown tool: shop.Shop.Nope/,
    );
  });

  it("a server stream: one progress notification per message, and the collected result", async () => {
    const { result, progress } = await callWithProgress(c.client, "shop.Shop.Watch", { to: 3 });
    expect(result.isError).toBeFalsy();
    expect(progress).toEqual([
      { progress: 1, message: '{"n":0}' },
      { progress: 2, message: '{"n":1}' },
      { progress: 3, message: '{"n":2}' },
    ]);
    expect(result.structuredContent).toEqual({ messages: [{ n: 0 }, { n: 1 }, { n: 2 }] });
    expect(JSON.parse(textOf(result))).toEqual({ messages: [{ n: 0 }, { n: 1 }, { n: 2 }] });
    // without a progress token the stream is still collected
    const plain = await c.client.callTool({ name: "shop.Shop.Watch", arguments: { to: 2 } });
    expect(plain.structuredContent).toEqual({ messages: [{ n: 0 }, { n: 1 }] });
  });

  it("a service appearing and leaving sends tools/list_changed and changes the list", async () => {
    const before = c.listChanges();
    const appeared = c.nextListChange();
    const extra = await startShop("warehouse", { registry: m.registry });
    await appeared;
    let names = (await c.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("warehouse.Shop.Order");
    expect(names).toContain("shop.Shop.Order");
    const r = await c.client.callTool({
      name: "warehouse.Shop.Order",
      arguments: { customer: "bo", items: [{ sku: "X", qty: 1 }] },
    });
    expect(r.structuredContent).toMatchObject({ id: "order-bo", total: 1 });
    const left = c.nextListChange();
    await extra.stop();
    await left;
    names = (await c.client.listTools()).tools.map((t) => t.name);
    expect(names.filter((n) => n.startsWith("warehouse."))).toEqual([]);
    expect(c.listChanges()).toBeGreaterThanOrEqual(before + 2);
  });
});

describe("MCP on the gateway, with auth, scopes, per-tool limits and filters", () => {
  let m: Mesh;
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    m = await startMesh();
    gateway = createGateway({
      service: m.client,
      address: "127.0.0.1:0",
      auth: createJwtAuth({ secret: SECRET }),
      routes: [
        mcpRoute({
          exclude: ["shop.Shop.Fail"],
          toolRateLimit: { rate: 0.5, burst: 2 },
        }),
      ],
    });
    url = `http://${await gateway.listen()}/mcp`;
  });
  afterAll(async () => {
    await gateway?.close();
    await m?.close();
  });

  it("no bearer token: 401 from the gateway's auth check", async () => {
    const err = await connect(httpTransport(url)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StreamableHTTPError);
    expect((err as StreamableHTTPError).code).toBe(401);
    const bad = await connect(httpTransport(url, { Authorization: "Bearer not.a.jwt" })).catch((e) => e);
    expect((bad as StreamableHTTPError).code).toBe(401);
  });

  it("tool scopes from endpoint metadata: an error result without one, the call with one", async () => {
    const other = await connect(httpTransport(url, { Authorization: `Bearer ${token(["other"])}` }));
    const no = await other.client.callTool({ name: "shop.Shop.Secret", arguments: {} });
    expect(no.isError).toBe(true);
    expect(JSON.parse(textOf(no as never))).toMatchObject({
      code: 403,
      detail: "shop.Shop.Secret needs scope billing or admin",
    });
    await other.close();
    const billing = await connect(httpTransport(url, { Authorization: `Bearer ${token(["billing"])}` }));
    const yes = await billing.client.callTool({ name: "shop.Shop.Secret", arguments: {} });
    expect(yes.isError).toBeFalsy();
    expect(JSON.parse(textOf(yes as never))).toEqual({ ok: true });
    // the service learns who called
    const order = await billing.client.callTool({
      name: "shop.Shop.Order",
      arguments: { items: [{ sku: "A", qty: 1 }] },
    });
    expect(JSON.parse((order.structuredContent as { account: string }).account)).toMatchObject({
      id: "ann",
      scopes: ["billing"],
    });
    await billing.close();
  });

  it("a session belongs to the account that opened it", async () => {
    const ann = await connect(httpTransport(url, { Authorization: `Bearer ${token(["*"])}` }));
    const sessionId = (ann.client.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(sessionId).toBeTruthy();
    const res = await fetch(url, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token(["*"], "bob")}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
        "Mcp-Session-Id": sessionId!,
        "Mcp-Protocol-Version": LATEST_PROTOCOL_VERSION,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(res.status).toBe(403);
    await ann.close();
  });

  it("filters: an excluded endpoint is no tool", async () => {
    const c = await connect(httpTransport(url, { Authorization: `Bearer ${token(["*"])}` }));
    const names = (await c.client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain("shop.Shop.Fail");
    expect(names).toContain("shop.Shop.Order");
    await c.close();
  });

  it("rate limit per tool: a burst of 2, then an error result with 429; other tools unaffected", async () => {
    const c = await connect(httpTransport(url, { Authorization: `Bearer ${token(["*"])}` }));
    const call = () => c.client.callTool({ name: "shop.Shop.Big", arguments: {} });
    expect((await call()).isError).toBeFalsy();
    expect((await call()).isError).toBeFalsy();
    const limited = await call();
    expect(limited.isError).toBe(true);
    expect(JSON.parse(textOf(limited as never))).toMatchObject({ id: "micro.mcp", code: 429 });
    const other = await c.client.callTool({ name: "shop.Shop.Secret", arguments: {} });
    expect(other.isError).toBeFalsy();
    await c.close();
  });
});

describe("standalone Streamable HTTP (listenMcp)", () => {
  let m: Mesh;
  let mcp: McpListener;
  beforeAll(async () => {
    m = await startMesh();
    mcp = await listenMcp({
      service: m.client,
      address: "127.0.0.1:0",
      include: ["*.Shop.Order", "visibility=internal"],
    });
  });
  afterAll(async () => {
    await mcp?.close();
    await m?.close();
  });

  it("serves /mcp with the include filters (endpoint name and metadata)", async () => {
    expect(mcp.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const c = await connect(httpTransport(mcp.url));
    const names = (await c.client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(["shop.Shop.Order", "shop.Shop.Secret"]);
    const r = await c.client.callTool({
      name: "shop.Shop.Order",
      arguments: { items: [{ sku: "A", qty: 4 }] },
    });
    expect(r.structuredContent).toMatchObject({ total: 4 });
    // the session ends with DELETE
    await (c.client.transport as { terminateSession?: () => Promise<void> }).terminateSession?.();
    await c.close();
  });

  it("refuses what a browser page or a rebound DNS name sends", async () => {
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: LATEST_PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: "x", version: "1" },
      },
    };
    const post = (headers: Record<string, string>) =>
      fetch(mcp.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(init),
      });
    expect((await post({ Origin: "https://evil.example" })).status).toBe(403);
    // fetch may not set Host; node:http may
    const rebound = await new Promise<number>((resolve, reject) => {
      const u = new URL(mcp.url);
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: "POST",
          headers: {
            Host: `evil.example:${u.port}`,
            "Content-Type": "application/json",
            Accept: "application/json, text/event-stream",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(init));
    });
    expect(rebound).toBe(403);
    // no session id and no initialize: the transport's own 400
    const res = await fetch(mcp.url, { method: "GET", headers: { Accept: "text/event-stream" } });
    expect(res.status).toBe(400);
  });

  it("keeps the gateway's /health beside it", async () => {
    const health = await fetch(mcp.url.replace("/mcp", "/health"));
    expect(health.status).toBe(200);
  });
});

describe("sanity", () => {
  it("eventually() waits", async () => {
    let n = 0;
    await eventually(() => ++n > 2, "three polls");
    expect(n).toBe(3);
  });
});
