// The TypeScript twin of the Go peer's client modes: call, stream, publish, services.

import { parseJSON } from "@micro/codec-json";
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
        const s = client.stream<{ stroke: string }, { stroke: number }>(
          service,
          flag(argv, "endpoint", "Greeter.BidiStream")!,
          undefined,
          {
            ...base,
            requestType: t.Ping as MessageType,
            responseType: t.Pong as MessageType,
          },
        );
        // --no-echo: the endpoint answers only at the end (Tally.Sum), so no reply is read per Ping
        const echoes = !argv.includes("--no-echo");
        for (let i = 0; i < count; i++) {
          await s.send({ stroke: i });
          if (!echoes) continue;
          const m = await s.recv();
          emit({ stroke: Number(m?.stroke) });
        }
        if (argv.includes("--server-closes")) {
          await s.send({ stroke: -1 });
          emit({ end: (await s.recv()) === undefined });
        }
        if (argv.includes("--close-send")) {
          // half-close, then read to the end: what arrives, then how long the end took
          await s.closeSend();
          const t0 = Date.now();
          for (let m = await s.recv(); m !== undefined; m = await s.recv())
            emit({ stroke: Number(m.stroke) });
          emit({ end: true, ms: Date.now() - t0 });
        }
        await s.close();
      }
    } else if (mode === "numbers") {
      // Numbers.Echo, untyped JSON: sends --body (integers beyond 2^53 as bigints), then sends the
      // reply back as it was decoded, and prints both replies with the JS type of every value
      const endpoint = flag(argv, "endpoint", "Numbers.Echo")!;
      const body = parseJSON(flag(argv, "body", "{}")!);
      type Numbers = { ints?: unknown[]; uints?: unknown[] };
      const kinds = (m: Numbers) => ({
        ints: (m.ints ?? []).map((x) => typeof x),
        uints: (m.uints ?? []).map((x) => typeof x),
      });
      const first = await client.call<Numbers, unknown>(service, endpoint, body, base);
      const second = await client.call<Numbers, Numbers>(service, endpoint, first, base);
      emit({ first, second, kinds: kinds(first) });
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
