// `--transport=nats` end to end: a core service and client over NatsTransport (memory registry and
// broker), a unary call and a bidirectional stream.
import "@micro/codec-json";
import "@micro/selector";
import { MemoryBroker } from "@micro/broker-memory";
import {
  type Context,
  createClient,
  createService,
  MicroError,
  type MicroService,
  silentLogger,
} from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { describeWithServer } from "@micro/testing/servers";
import { afterEach, expect, it } from "vitest";
import { transport } from "./helpers.js";

describeWithServer("nats", "core service and client over the nats transport", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
  });

  const greeter = {
    async hello(_ctx: Context, req: { name: string }) {
      if (!req.name) throw MicroError.badRequest("greeter", "name is required");
      return { msg: `Hello ${req.name}` };
    },
    async *echo(_ctx: Context, inbound: AsyncIterable<{ say: string }>) {
      for await (const m of inbound) yield { said: m.say };
    },
  };

  async function world() {
    const registry = new MemoryRegistry();
    const broker = new MemoryBroker();
    const opts = { registry, broker, argv: [], env: {}, logger: silentLogger };
    const serverTransport = transport();
    const clientTransport = transport();
    const service = createService({ name: "greeter", transport: serverTransport, ...opts }) as MicroService;
    service.handle("Greeter", greeter, { endpoints: { echo: { stream: "bidi" } } });
    await service.start();
    const client = createClient({ transport: clientTransport, ...opts, retries: 0 });
    cleanup.push(
      () => serverTransport.close(),
      () => clientTransport.close(),
      () => service.stop(),
      () => client.close(),
    );
    return { registry, service, client };
  }

  it("registers the listener's subject and answers unary calls and errors", async () => {
    const { registry, client } = await world();
    const [svc] = await registry.getService("greeter");
    expect(svc!.nodes[0]!.address).toMatch(/^_INBOX\./);
    expect(await client.call("greeter", "Greeter.Hello", { name: "John" })).toEqual({ msg: "Hello John" });
    for (let i = 0; i < 20; i++)
      expect(await client.call("greeter", "Greeter.Hello", { name: `n${i}` })).toEqual({
        msg: `Hello n${i}`,
      });
    await expect(client.call("greeter", "Greeter.Hello", { name: "" })).rejects.toMatchObject({
      code: 400,
      detail: "name is required",
    });
  });

  it("carries a bidirectional stream", async () => {
    const { client } = await world();
    const s = client.stream<{ said: string }, { say: string }>("greeter", "Greeter.Echo");
    await s.send({ say: "a" });
    expect(await s.recv()).toEqual({ said: "a" });
    await s.send({ say: "b" });
    expect(await s.recv()).toEqual({ said: "b" });
    await s.closeSend();
    expect(await s.recv()).toBeUndefined();
  });
});
