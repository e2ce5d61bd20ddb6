// A TypeScript service for the CLI to talk to: unary, server-stream and bidi endpoints and a
// subscriber, registered in the registry the test shares with the `micro` subprocesses.
import "@micro/defaults";
import "@micro/registry-etcd";
import { type Context, createService, MicroError, type MicroService, silentLogger } from "@micro/core";

export interface Fixture {
  service: MicroService;
  events: unknown[];
}

export async function startGreeter(
  name: string,
  env: Record<string, string>,
  topic: string,
): Promise<Fixture> {
  const events: unknown[] = [];
  const service = createService({
    name,
    version: "1.2.3",
    registry: env.MICRO_REGISTRY,
    registryAddress: env.MICRO_REGISTRY_ADDRESS,
    address: "127.0.0.1:0",
    brokerAddress: "127.0.0.1:0",
    argv: [],
    env: {},
    logger: silentLogger,
  });
  service.handle(
    "Greeter",
    {
      async hello(ctx: Context, req: { name?: string }) {
        if (!req.name) throw MicroError.badRequest(name, "name is required");
        return { msg: `Hello ${req.name}`, from: ctx.metadata.get("X-From") ?? "" };
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
  service.subscribe(topic, async (_ctx, event: unknown) => {
    events.push(event);
  });
  await service.start();
  return { service, events };
}
