// The greeter service: unary, server-streaming and bidi endpoints, and an event subscriber.
// Runs on go-micro's defaults (mdns registry, http transport, http broker); try --registry=memory etc.
// The handler is checked against proto/greeter.proto by the compiler (GreeterHandler is generated).
import { createService, MicroError } from "@micro/core";
import {
  type Event,
  type GreeterHandler,
  messageTypes,
  registerGreeterHandler,
} from "./gen/greeter.micro.js";

const service = createService({ name: "greeter", version: "1.0.0", metadata: { example: "true" } });

const greeter: GreeterHandler = {
  async hello(ctx, req) {
    if (!req.name) throw MicroError.badRequest("greeter", "name is required");
    const from = ctx.metadata.get("X-From");
    return { msg: `Hello ${req.name}${from ? ` (via ${from})` : ""}` };
  },
  async *count(ctx, req) {
    for (let i = 0; i < (req.to ?? 0) && !ctx.signal.aborted; i++) yield { n: i };
  },
  async *echo(_ctx, inbound) {
    for await (const m of inbound) yield { said: (m.say ?? "").toUpperCase() };
  },
};
registerGreeterHandler(service, greeter);

service.subscribe(
  "greeter.events",
  async (ctx, event: Event) => {
    console.log(`event ${JSON.stringify(event)} topic=${ctx.metadata.get("Micro-Topic")}`);
  },
  { messageType: messageTypes.Event }, // decodes JSON or protobuf events, advertises the schema
);

await service.run();
