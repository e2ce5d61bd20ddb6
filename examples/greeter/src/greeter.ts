// The greeter service: unary, server-streaming and bidi endpoints, and an event subscriber.
// Runs on go-micro's defaults (mdns registry, http transport, http broker); try --registry=memory etc.
import { type Context, createService, MicroError } from "@micro/core";

const service = createService({ name: "greeter", version: "1.0.0", metadata: { example: "true" } });

service.handle(
  "Greeter",
  {
    async hello(ctx: Context, req: { name?: string }) {
      if (!req.name) throw MicroError.badRequest("greeter", "name is required");
      const from = ctx.metadata.get("X-From");
      return { msg: `Hello ${req.name}${from ? ` (via ${from})` : ""}` };
    },
    async *count(ctx: Context, req: { to: number }) {
      for (let i = 0; i < req.to && !ctx.signal.aborted; i++) yield { n: i };
    },
    async *echo(_ctx: Context, inbound: AsyncIterable<{ say: string }>) {
      for await (const m of inbound) yield { said: m.say.toUpperCase() };
    },
  },
  { endpoints: { echo: { stream: "bidi" } } },
);

service.subscribe("greeter.events", async (ctx, event: { id: string; text: string }) => {
  console.log(`event ${JSON.stringify(event)} topic=${ctx.metadata.get("Micro-Topic")}`);
});

await service.run();
