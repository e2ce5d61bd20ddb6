// A TS service with nested schemas, documented endpoints, scopes, errors, a server stream and a bidi
// stream: what the MCP server turns into tools. The Values are what core's reflection of protobufjs
// types writes (the "ts" dialect): named messages with their fields, `[]T` for repeated fields with
// the message's fields kept, `""` for maps.
import "@micro/defaults";
import {
  type Context,
  createService,
  MicroError,
  type MicroService,
  type Registry,
  type Value,
} from "@micro/core";
import { loopbackServiceOptions } from "@micro/testing/helpers";

export const ITEM: Value = {
  name: "Item",
  type: "Item",
  values: [
    { name: "sku", type: "string" },
    { name: "qty", type: "int32" },
  ],
};

export const ADDRESS: Value = {
  name: "Address",
  type: "Address",
  values: [
    { name: "street", type: "string" },
    { name: "zip", type: "string" },
  ],
};

export const ORDER_REQUEST: Value = {
  name: "OrderRequest",
  type: "OrderRequest",
  values: [
    { name: "customer", type: "string" },
    { ...ITEM, name: "items", type: "[]Item" },
    { ...ADDRESS, name: "ship_to", type: "Address" },
    { name: "labels", type: "" },
    { name: "note", type: "bytes" },
  ],
};

export const ORDER_REPLY: Value = {
  name: "OrderReply",
  type: "OrderReply",
  values: [
    { name: "id", type: "string" },
    { name: "total", type: "int64" },
    { ...ITEM, name: "lines", type: "[]Item" },
    { name: "account", type: "string" },
  ],
};

export const TICK: Value = { name: "Tick", type: "Tick", values: [{ name: "n", type: "int32" }] };
export const COUNT: Value = { name: "Count", type: "Count", values: [{ name: "to", type: "int32" }] };

export const ORDER_DESCRIPTION = "Places an order for a customer.";
export const ORDER_EXAMPLE = '{"customer":"ann","items":[{"sku":"A-1","qty":2}]}';

interface OrderRequest {
  customer?: string;
  items?: { sku?: string; qty?: number }[];
}

export interface ServiceOptions {
  registry: Registry | string;
  env?: Record<string, string>;
}

/** The service named `name`: Shop.Order, .Fail, .Watch, .Ticks, .Chat (bidi), .Secret, .Big. */
export async function startShop(name: string, o: ServiceOptions): Promise<MicroService> {
  const svc = createService({
    name,
    version: "1.0.0",
    ...loopbackServiceOptions(o.registry),
    env: o.env ?? {},
  });
  svc.handle(
    "Shop",
    {
      async order(ctx: Context, req: OrderRequest) {
        if (!req.items?.length) throw MicroError.badRequest(name, "an order needs items");
        const account = ctx.metadata.get("Micro-Account");
        return {
          id: `order-${req.customer ?? "anon"}`,
          total: req.items.reduce((n, i) => n + (i.qty ?? 0), 0),
          lines: req.items,
          ...(account ? { account } : {}),
        };
      },
      async fail(_ctx: Context, req: { code?: number }) {
        throw new MicroError(name, `failed with ${req.code}`, req.code ?? 500);
      },
      async *watch(_ctx: Context, req: { to?: number }) {
        for (let i = 0; i < (req.to ?? 0); i++) yield { n: i };
        if ((req.to ?? 0) > 100) throw new MicroError(name, "too far", 400);
      },
      async *chat(_ctx: Context, inbound: AsyncIterable<{ say?: string }>) {
        for await (const m of inbound) yield { said: m.say };
      },
      // never ends by itself: one tick every 20 ms until the caller closes the stream
      async *ticks(ctx: Context) {
        for (let n = 0; !ctx.signal.aborted; n++) {
          yield { n };
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      async secret() {
        return { ok: true };
      },
      async big() {
        // beyond 2^53: the JSON codec writes every digit
        return { n: 9007199254740993n };
      },
    },
    {
      endpoints: {
        order: {
          request: ORDER_REQUEST,
          response: ORDER_REPLY,
          metadata: { description: ORDER_DESCRIPTION, example: ORDER_EXAMPLE },
        },
        watch: { request: COUNT, response: TICK },
        ticks: { response: TICK },
        chat: { stream: "bidi" },
        secret: { metadata: { scopes: "billing,admin", visibility: "internal" } },
        big: { idempotent: false },
      },
    },
  );
  await svc.start();
  return svc;
}
