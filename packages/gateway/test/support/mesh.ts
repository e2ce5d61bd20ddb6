// A small real mesh for gateway tests: TS services on the http transport, one in-process memory
// registry shared with the gateway's client, and a gateway on 127.0.0.1.
import "@micro/defaults";
import { type Context, createService, MicroError, type MicroService, type Registry } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { loopbackServiceOptions } from "@micro/testing/helpers";
import { createGateway, type Gateway } from "../../src/gateway.js";
import type { GatewayOptions } from "../../src/options.js";

export interface Mesh {
  registry: Registry;
  services: MicroService[];
  client: MicroService;
  gateway: Gateway;
  url: string;
  close(): Promise<void>;
}

/** The test service: unary, errors, slow, big int, and every streaming kind. */
export async function startTestService(registry: Registry, name = "test"): Promise<MicroService> {
  const svc = createService({ name, version: "1.0.0", ...loopbackServiceOptions(registry) });
  svc.handle(
    "Test",
    {
      async hello(ctx: Context, req: { name?: string }) {
        if (!req.name) throw MicroError.badRequest(name, "name is required");
        const from = ctx.metadata.get("X-From");
        const account = ctx.metadata.get("Micro-Account");
        return { msg: `Hello ${req.name}`, ...(from ? { from } : {}), ...(account ? { account } : {}) };
      },
      async fail(_ctx: Context, req: { code?: number }) {
        throw new MicroError(name, `failed with ${req.code}`, req.code ?? 500);
      },
      async slow(ctx: Context, req: { ms?: number }) {
        await new Promise((r) => setTimeout(r, req.ms ?? 0));
        return { slept: req.ms, aborted: ctx.signal.aborted };
      },
      async echo(_ctx: Context, req: unknown) {
        return req;
      },
      async secret(_ctx: Context, _req: unknown) {
        return { ok: true };
      },
      async *count(ctx: Context, req: { to?: number }) {
        for (let i = 0; i < (req.to ?? 0) && !ctx.signal.aborted; i++) yield { n: i };
      },
      async *upper(_ctx: Context, inbound: AsyncIterable<{ say?: string }>) {
        for await (const m of inbound) yield { said: (m.say ?? "").toUpperCase() };
      },
      // a client stream: many in, one out once the client half-closes
      async *sum(_ctx: Context, inbound: AsyncIterable<{ n?: number }>) {
        let total = 0;
        for await (const m of inbound) total += m.n ?? 0;
        yield { total };
      },
    },
    {
      endpoints: {
        upper: { stream: "bidi" },
        sum: { stream: "bidi" },
        secret: { metadata: { scopes: "billing" } },
      },
    },
  );
  await svc.start();
  return svc;
}

export async function startMesh(
  options: Partial<GatewayOptions> = {},
  serviceNames = ["test"],
): Promise<Mesh> {
  const registry = new MemoryRegistry();
  const services: MicroService[] = [];
  for (const n of serviceNames) services.push(await startTestService(registry, n));
  const client = createService({ name: "gateway.test.client", ...loopbackServiceOptions(registry) });
  const gateway = createGateway({ service: client, address: "127.0.0.1:0", ...options });
  const address = await gateway.listen();
  const url = `${options.tls ? "https" : "http"}://${address}`;
  return {
    registry,
    services,
    client,
    gateway,
    url,
    async close() {
      await gateway.close();
      for (const s of services) await s.stop();
      await client.stop();
    },
  };
}
