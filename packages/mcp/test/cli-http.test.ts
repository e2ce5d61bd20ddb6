// `micro mcp serve --address`: the standalone Streamable HTTP server run by our CLI, with the
// gateway's auth flags, driven by the SDK's client against the real Go peer and a TS service found
// over mdns on loopback.
import "@micro/defaults";
import type { MicroService } from "@micro/core";
import { signJwt } from "@micro/gateway";
import { StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  callWithProgress,
  connect,
  eventually,
  httpTransport,
  type TestClient,
  textOf,
} from "./support/clients.js";
import {
  prerequisites,
  skipOrFail,
  startGoPeer,
  startMcpHttp,
  stopAll,
  unique,
} from "./support/processes.js";
import { startShop } from "./support/shop.js";

const missing = prerequisites(["cli", "goPeer"]);
const prefix = unique("mcph");
const goName = `${prefix}-go`;
const shopName = `${prefix}-shop`;
const SECRET = "cli-mcp-secret-0123456789abcdef";

describe.skipIf(missing)(`micro mcp serve --address${missing ? ` — skipped: ${missing}` : ""}`, () => {
  let url: string;
  let shop: MicroService;
  let c: TestClient;
  let noMdns: string | undefined;
  const auth = (scopes: string[]) => ({
    Authorization: `Bearer ${signJwt({ sub: "agent", type: "service", scopes, exp: Math.floor(Date.now() / 1000) + 300 }, { secret: SECRET })}`,
  });

  beforeAll(async () => {
    await startGoPeer(goName);
    shop = await startShop(shopName, { registry: "mdns", env: { MICRO_MDNS_INTERFACE: "127.0.0.1" } });
    ({ url } = await startMcpHttp([
      "--include",
      `${prefix}-*`,
      "--exclude",
      "*.Tally.*",
      "--auth-secret",
      SECRET,
      "--tool-rate-limit",
      "100",
    ]));
    c = await connect(httpTransport(url, auth(["*"])));
    try {
      await eventually(
        async () => {
          const names = (await c.client.listTools()).tools.map((t) => t.name);
          return names.includes(`${goName}.Greeter.Hello`) && names.includes(`${shopName}.Shop.Order`);
        },
        "both services over mdns",
        15_000,
      );
    } catch {
      noMdns = skipOrFail("micro mcp serve --address never saw the services over mdns");
    }
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    await shop?.stop();
    await stopAll();
  }, 20_000);

  it("401 without a bearer token", async () => {
    const err = await connect(httpTransport(url)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamableHTTPError);
    expect((err as StreamableHTTPError).code).toBe(401);
  });

  it("the Go peer's tools: call, micro error, a stream with progress", async (ctx) => {
    if (noMdns) return ctx.skip();
    const hello = await c.client.callTool({ name: `${goName}.Greeter.Hello`, arguments: { name: "Ann" } });
    expect(hello.structuredContent).toEqual({ msg: "Hello Ann" });
    expect(JSON.parse(textOf(hello as never))).toEqual({ msg: "Hello Ann" });
    const fail = await c.client.callTool({ name: `${goName}.Greeter.Fail`, arguments: { name: "404" } });
    expect(fail.isError).toBe(true);
    expect(JSON.parse(textOf(fail as never))).toMatchObject({ id: goName, code: 404, detail: "failed: 404" });
    const { result, progress } = await callWithProgress(c.client, `${goName}.Greeter.ServerStream`, {
      count: 4,
    });
    expect(progress.map((p) => p.progress)).toEqual([1, 2, 3, 4]);
    expect((result.structuredContent as { messages: unknown[] }).messages).toHaveLength(4);
  });

  it("the TS service's tools beside them, scopes checked against the token", async (ctx) => {
    if (noMdns) return ctx.skip();
    const order = await c.client.callTool({
      name: `${shopName}.Shop.Order`,
      arguments: { customer: "go", items: [{ sku: "Z", qty: 9 }] },
    });
    expect(order.structuredContent).toMatchObject({ id: "order-go", total: 9 });
    const narrow = await connect(httpTransport(url, auth(["other"])));
    const denied = await narrow.client.callTool({ name: `${shopName}.Shop.Secret`, arguments: {} });
    expect(denied.isError).toBe(true);
    expect(JSON.parse(textOf(denied as never))).toMatchObject({ code: 403 });
    await narrow.close();
  });
});
