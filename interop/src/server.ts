// The TypeScript twin of the Go peer's server: same endpoints and subscribers, printing what it
// receives as JSON lines so tests can check what crossed the wire.
import { type Context, createService, MicroError } from "@micro/core";
import { emit, flag } from "./args.js";
import type { GreeterTypes } from "./greeter-types.js";

type Req = { name: string };

export async function runServer(argv: readonly string[], t: GreeterTypes): Promise<void> {
  const name = flag(argv, "name", "greeter.ts")!;
  // --fail408: the first attempt of each request name gets a 408, so a go-micro client must retry
  // (and usually lands on another node); a retry of the same name here succeeds.
  const fail408 = argv.includes("--fail408");
  const failed = new Set<string>();
  const topic = flag(argv, "topic", "events.ts")!;
  const queueTopic = flag(argv, "queue-topic", "events.ts.q")!;
  const queue = flag(argv, "queue", "q.ts")!;
  const service = createService({
    name,
    version: flag(argv, "version", "latest"),
    address: "127.0.0.1:0",
    afterStart: async () => {
      const node = service.server.service().nodes[0]!;
      emit({ ready: true, id: node.id, address: node.address, name });
    },
    afterStop: () => emit({ stopped: true }),
    // the peer parses its own arguments (--name, --fail408, ...) beside go-micro's flags
    allowUnknownFlags: true,
  });
  const log = (rpc: string, ctx: Context, request: unknown) =>
    emit({ rpc, request, headers: Object.fromEntries(ctx.metadata) });

  service.handle(
    "Greeter",
    {
      async hello(ctx: Context, req: Req) {
        log("Greeter.Hello", ctx, req);
        if (fail408 && !failed.has(req.name)) {
          failed.add(req.name);
          throw MicroError.timeout(name, "busy, try another node");
        }
        const h = ctx.metadata.get("X-Test-Header");
        return { msg: `Hello ${req.name}${h ? ` [X-Test-Header=${h}]` : ""}` };
      },
      async fail(ctx: Context, req: Req) {
        log("Greeter.Fail", ctx, req);
        const code = Number(req.name);
        throw new MicroError(name, `failed: ${req.name}`, Number.isInteger(code) && code > 0 ? code : 500);
      },
      async slow(ctx: Context, req: Req) {
        log("Greeter.Slow", ctx, req);
        await new Promise((r) => setTimeout(r, Number(req.name) || 0));
        return { msg: `slept ${Number(req.name) || 0}ms` };
      },
      async *serverStream(ctx: Context, req: { count: string | number }) {
        log("Greeter.ServerStream", ctx, req);
        for (let i = 0; i < Number(req.count); i++) yield { count: i };
      },
      async *bidiStream(ctx: Context, inbound: AsyncIterable<{ stroke: string | number }>) {
        log("Greeter.BidiStream", ctx, {});
        for await (const ping of inbound) {
          // stroke -1 asks the server to end the stream itself (the server-closed case)
          if (Number(ping.stroke) === -1) return;
          yield { stroke: Number(ping.stroke) };
        }
      },
    },
    {
      endpoints: {
        hello: { requestType: t.Request, responseType: t.Response },
        fail: { requestType: t.Request, responseType: t.Response },
        slow: { requestType: t.Request, responseType: t.Response },
        serverStream: { requestType: t.StreamRequest, responseType: t.StreamResponse, stream: "server" },
        bidiStream: { requestType: t.Ping, responseType: t.Pong, stream: "bidi" },
      },
    },
  );

  // --numbers: Numbers.Echo, untyped JSON (no message type), echoes the request; int64/uint64 beyond
  // 2^53 arrive as bigints and must go back with every digit. Logs the JS type of each value.
  if (argv.includes("--numbers")) {
    service.handle("Numbers", {
      async echo(ctx: Context, req: { ints?: unknown[]; uints?: unknown[] }) {
        const kinds = (l: unknown[] | undefined) => (l ?? []).map((x) => typeof x);
        emit({
          rpc: "Numbers.Echo",
          request: req,
          kinds: { ints: kinds(req.ints), uints: kinds(req.uints) },
          headers: Object.fromEntries(ctx.metadata),
        });
        return req;
      },
    });
  }

  const onEvent = (ctx: Context, ev: { id: string; message: string }) =>
    emit({ topic: ctx.endpoint, id: ev.id, message: ev.message, headers: Object.fromEntries(ctx.metadata) });
  service.subscribe(topic, async (ctx, ev: { id: string; message: string }) => onEvent(ctx, ev), {
    messageType: t.Event,
  });
  service.subscribe(queueTopic, async (ctx, ev: { id: string; message: string }) => onEvent(ctx, ev), {
    messageType: t.Event,
    queue,
  });
  await service.run();
}
