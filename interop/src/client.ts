// The TypeScript twin of the Go peer's client modes: call, stream, publish, services.
import { createClient, type MessageType, MicroError } from "@micro/core";
import { emit, flag, flags, keyValues } from "./args.js";
import type { GreeterTypes } from "./greeter-types.js";

function printError(err: unknown): never {
  const e = err instanceof MicroError ? err : MicroError.from(err, "peer");
  emit({ error: e.toJSON() });
  process.exit(1);
}

export async function runClient(mode: string, argv: readonly string[], t: GreeterTypes): Promise<void> {
  const client = createClient({ name: "peer.ts" });
  const service = flag(argv, "service", "greeter.go")!;
  const contentType = flag(argv, "content-type", "application/json")!;
  const metadata = keyValues(flags(argv, "metadata"));
  const address = flag(argv, "address");
  const retries = flag(argv, "retries");
  const attempt = flag(argv, "attempt-timeout");
  const base = {
    contentType,
    metadata,
    ...(address ? { address } : {}),
    ...(retries ? { retries: Number(retries) } : {}),
    ...(attempt ? { attemptTimeout: Number(attempt) } : {}),
    backoff: (i: number) => (i > 0 ? 50 : 0),
  };
  try {
    if (mode === "call") {
      const endpoint = flag(argv, "endpoint", "Greeter.Hello")!;
      const body = JSON.parse(flag(argv, "body", "{}")!);
      const rsp = await client.call(service, endpoint, body, {
        ...base,
        requestType: t.Request,
        responseType: t.Response,
      });
      emit(rsp);
    } else if (mode === "stream") {
      const count = Number(flag(argv, "count", "3"));
      if (flag(argv, "mode", "server") === "server") {
        const s = client.stream(
          service,
          flag(argv, "endpoint", "Greeter.ServerStream")!,
          { count },
          {
            ...base,
            requestType: t.StreamRequest as MessageType,
            responseType: t.StreamResponse as MessageType,
          },
        );
        for await (const m of s) emit({ count: Number((m as { count: string }).count) });
      } else {
        const s = client.stream<{ stroke: number }, { stroke: string }>(
          service,
          flag(argv, "endpoint", "Greeter.BidiStream")!,
          undefined,
          {
            ...base,
            requestType: t.Ping as MessageType,
            responseType: t.Pong as MessageType,
          },
        );
        for (let i = 0; i < count; i++) {
          await s.send({ stroke: i });
          const m = await s.recv();
          emit({ stroke: Number(m?.stroke) });
        }
        if (argv.includes("--server-closes")) {
          await s.send({ stroke: -1 });
          emit({ end: (await s.recv()) === undefined });
        }
        await s.close();
      }
    } else if (mode === "publish") {
      const topic = flag(argv, "topic", "events.go")!;
      await client.publish(topic, JSON.parse(flag(argv, "body", '{"id":"1","message":"hello"}')!), {
        contentType,
        metadata,
        messageType: t.Event,
      });
      emit({ published: true, topic });
    }
  } catch (err) {
    await client.close().catch(() => {});
    printError(err);
  }
  await client.close();
}
