// A small real mesh for the dashboard tests: a TypeScript service on the http transport with
// advertised request and response schemas, a client sharing one in-process memory registry, and the
// dashboard's gateway on 127.0.0.1.
import "@micro/defaults";
import { type Context, createService, MicroError, type MicroService, type Service } from "@micro/core";
import type { Gateway } from "@micro/gateway";
import { MemoryRegistry } from "@micro/registry-memory";
import { loopbackServiceOptions } from "@micro/testing/helpers";
import { createDashboard, type DashboardGatewayOptions } from "../../src/index.js";

export interface Mesh {
  registry: MemoryRegistry;
  service: MicroService;
  client: MicroService;
  gateway: Gateway;
  url: string;
  close(): Promise<void>;
}

const HELLO_REQUEST = {
  name: "HelloRequest",
  type: "HelloRequest",
  values: [
    { name: "name", type: "string" },
    { name: "age", type: "int32" },
    { name: "big", type: "int64" },
    { name: "vip", type: "bool" },
    {
      name: "address",
      type: "Address",
      values: [
        { name: "street", type: "string" },
        { name: "zip", type: "int32" },
      ],
    },
    { name: "tags", type: "[]string" },
  ],
};

export async function startGreeter(registry: MemoryRegistry): Promise<MicroService> {
  const svc = createService({
    name: "greeter",
    version: "1.0.0",
    metadata: { team: "web" },
    ...loopbackServiceOptions(registry),
  });
  svc.handle(
    "Greeter",
    {
      async hello(_ctx: Context, req: { name?: string }) {
        if (!req.name) throw MicroError.badRequest("greeter", "name is required");
        return { msg: `Hello ${req.name}` };
      },
      async *count(ctx: Context, req: { to?: number }) {
        for (let i = 0; i < (req.to ?? 0) && !ctx.signal.aborted; i++) yield { n: i };
      },
      async *upper(_ctx: Context, inbound: AsyncIterable<{ say?: string }>) {
        for await (const m of inbound) yield { said: (m.say ?? "").toUpperCase() };
      },
    },
    {
      endpoints: {
        hello: {
          request: HELLO_REQUEST,
          response: {
            name: "HelloResponse",
            type: "HelloResponse",
            values: [{ name: "msg", type: "string" }],
          },
        },
        count: {
          request: { name: "CountRequest", type: "CountRequest", values: [{ name: "to", type: "int32" }] },
          response: { name: "CountReply", type: "CountReply", values: [{ name: "n", type: "int32" }] },
        },
        upper: { stream: "bidi" },
      },
    },
  );
  svc.subscribe("greeter.events", async () => {});
  await svc.start();
  return svc;
}

/** A registry record written by hand, as a program registering through the sidecar would. */
export function record(name: string, address: string, extra: Partial<Service> = {}): Service {
  return {
    name,
    version: "1.0.0",
    metadata: {},
    endpoints: [],
    nodes: [{ id: `${name}-1`, address, metadata: {} }],
    ...extra,
  };
}

export async function startMesh(options: DashboardGatewayOptions = {}): Promise<Mesh> {
  const registry = new MemoryRegistry();
  const service = await startGreeter(registry);
  const client = createService({ name: "dashboard.test.client", ...loopbackServiceOptions(registry) });
  const gateway = createDashboard({ service: client, address: "127.0.0.1:0", ...options });
  const url = `${options.tls ? "https" : "http"}://${await gateway.listen()}`;
  return {
    registry,
    service,
    client,
    gateway,
    url,
    async close() {
      await gateway.close();
      await service.stop();
      await client.stop();
    },
  };
}

/** A page as a browser asks for it. */
export function page(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", ...init, headers: { Accept: "text/html", ...init.headers } });
}
