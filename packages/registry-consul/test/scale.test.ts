// Issue 19 at test size on the real Consul: thousands of services (2 instances each, go-micro's tags
// with 3 endpoint schemas), listed by name; and many concurrent calls from one registry stay within
// Consul's 200 connections per client address instead of being refused with HTTP 429.
//
// The services go straight into the catalog (PUT /v1/catalog/register) with the registry's own
// registration bodies: one agent registering 6,000 instances takes minutes (it slows down with
// every instance it holds), and the catalog is what listServices reads.
import { randomUUID } from "node:crypto";
import type { Service } from "@micro/core";
import { mapLimit } from "@micro/core/internal";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConsulRegistry, registration } from "../src/index.js";
import { consul } from "./proxy.js";
import { CONSUL_ADDR, describeWithServer } from "./servers.js";
import { greeter } from "./vectors.js";

const COUNT = 3000;
const run = `scale-${randomUUID().slice(0, 8)}`;
const hosts = Array.from({ length: 20 }, (_, i) => `${run}-host-${i}`);
const svc = (i: number): Service => ({
  name: `${run}-${String(i).padStart(4, "0")}`,
  version: "1.0.0",
  endpoints: [...greeter.endpoints, ...greeter.endpoints, ...greeter.endpoints].map((e, k) => ({
    ...e,
    name: `${e.name}${k}`,
  })),
  nodes: [0, 1].map((n) => ({ id: `${run}-${i}-${n}`, address: `127.0.0.1:${10000 + i}`, metadata: {} })),
});

describeWithServer("consul", "consul registry at scale", () => {
  const services = Array.from({ length: COUNT }, (_, i) => svc(i));
  const r = new ConsulRegistry({ addresses: [CONSUL_ADDR] });
  beforeAll(async () => {
    const started = Date.now();
    const writes = services.flatMap((s, i) =>
      s.nodes.map((_, n) => {
        const body = registration(s, n, 0);
        return {
          Node: hosts[(i * 2 + n) % hosts.length],
          Address: "127.0.0.1",
          SkipNodeUpdate: true,
          Service: {
            ID: body.ID,
            Service: body.Name,
            Tags: body.Tags,
            Address: body.Address,
            Port: body.Port,
          },
        };
      }),
    );
    await mapLimit(writes, 16, (w) => consul("PUT", "/v1/catalog/register", w));
    console.info(
      `[measured] wrote ${writes.length} instances of ${COUNT} services in ${Date.now() - started} ms`,
    );
  }, 60_000);
  afterAll(async () => {
    await mapLimit(hosts, 8, (Node) => consul("PUT", "/v1/catalog/deregister", { Node }));
    await r.close();
  }, 60_000);

  it("lists every service by name, names only", async () => {
    const started = performance.now();
    const listed = await r.listServices();
    console.info(
      `[measured] listServices with ${COUNT}+ services: ${(performance.now() - started).toFixed(1)} ms`,
    );
    const ours = listed.filter((s) => s.name.startsWith(run));
    expect(ours.map((s) => s.name)).toEqual(services.map((s) => s.name));
    expect(ours[0]).toEqual({ name: services[0]!.name, version: "", endpoints: [], nodes: [] });
    // describing one service still gives the whole record, read back from go-micro's tags
    const got = await r.getService(services[42]!.name);
    expect(got[0]!.endpoints).toHaveLength(services[42]!.endpoints.length);
    expect(got[0]!.nodes.map((n) => n.id).sort()).toEqual(services[42]!.nodes.map((n) => n.id));
  });

  it("describes 400 services at once without going over Consul's connections per client (no 429)", async () => {
    const got = await Promise.all(services.slice(0, 400).map((s) => r.getService(s.name)));
    expect(got.every((g) => g.length === 1 && g[0]!.nodes.length === 2)).toBe(true);
  });
});
