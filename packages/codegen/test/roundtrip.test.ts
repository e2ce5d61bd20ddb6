// A generated client calling a generated handler over the real default stack in one process
// (memory registry, http transport, json codec): unary, server stream, client stream, bidi, and
// the registry schema a `micro describe` would show.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@micro/broker-memory";
import "@micro/codec-json";
import "@micro/selector";
import "@micro/transport-http";
import { createService, MicroError, type MicroService, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { generate } from "../src/index.js";

const here = new URL(".", import.meta.url).pathname;
let service: MicroService;
let client: MicroService;
const registry = new MemoryRegistry();
let gen: any;

beforeAll(async () => {
  const dir = join(here, ".generated/roundtrip");
  await mkdir(dir, { recursive: true });
  const [file] = await generate([join(here, "fixtures/shop.proto")]);
  await writeFile(join(dir, file!.path), file!.content);
  gen = await import(join(dir, file!.path));

  const common = { registry, broker: "memory", selector: "random", argv: [], env: {}, logger: silentLogger };
  service = createService({ name: "shop", address: "127.0.0.1:0", ...common });
  gen.registerOrdersHandler(service, {
    async place(_ctx: unknown, req: { customerId?: string; lines?: { quantity?: number }[] }) {
      if (!req.customerId) throw MicroError.badRequest("shop", "customer_id is required");
      return { id: `o-${req.customerId}`, status: "STATUS_PLACED", lines: req.lines };
    },
    async *watch(_ctx: unknown, req: { orderId: string; updates: number }) {
      for (let i = 0; i < req.updates; i++)
        yield { id: req.orderId, status: i ? "STATUS_SHIPPED" : "STATUS_PLACED" };
    },
    async *upload(_ctx: unknown, lines: AsyncIterable<{ quantity: number }>) {
      let n = 0;
      let total = 0;
      for await (const l of lines) {
        n++;
        total += l.quantity;
      }
      yield { lines: n, totalCents: String(total) };
    },
    async *chat(_ctx: unknown, notes: AsyncIterable<{ text: string }>) {
      for await (const n of notes) yield { text: n.text.toUpperCase() };
    },
  });
  await service.start();
  client = createService({ name: "shop.client", ...common });
});
afterAll(async () => {
  await client?.stop();
  await service?.stop();
});

describe("generated client ↔ generated handler", () => {
  it("calls a unary endpoint and gets errors as MicroErrors", async () => {
    const orders = new gen.OrdersClient(client.client, "shop");
    const order = await orders.place({ customerId: "c1", lines: [{ sku: "a", quantity: 2 }] });
    expect(order).toEqual({ id: "o-c1", status: "STATUS_PLACED", lines: [{ sku: "a", quantity: 2 }] });
    await expect(orders.place({})).rejects.toMatchObject({ code: 400, detail: "customer_id is required" });
  });

  it("reads a server stream", async () => {
    const orders = new gen.OrdersClient(client.client, "shop");
    const seen: string[] = [];
    for await (const o of orders.watch({ orderId: "o1", updates: 3 })) seen.push(o.status);
    expect(seen).toEqual(["STATUS_PLACED", "STATUS_SHIPPED", "STATUS_SHIPPED"]);
  });

  it("sends a client stream and a bidi stream", async () => {
    const orders = new gen.OrdersClient(client.client, "shop");
    const up = orders.upload();
    for (const q of [1, 2, 3]) await up.send({ sku: "x", quantity: q });
    await up.closeSend();
    expect(await up.recv()).toEqual({ lines: 3, totalCents: "6" });
    await up.close();

    const chat = orders.chat();
    await chat.send({ text: "hi" });
    expect(await chat.recv()).toEqual({ text: "HI" });
    await chat.close();
  });

  it("advertises the proto's schema in the registry", async () => {
    const [svc] = await registry.getService("shop");
    const place = svc!.endpoints.find((e) => e.name === "Orders.Place");
    expect(place?.request?.values?.map((v) => `${v.name}:${v.type}`)).toEqual([
      "customer_id:string",
      "lines:[]Line",
      "labels:map[string]string",
    ]);
    const watch = svc!.endpoints.find((e) => e.name === "Orders.Watch");
    expect(watch?.metadata?.stream).toBe("true");
  });
});
