// What a caller sees on the wire of the default stack (http transport, registry selector over a
// memory registry): a handler's error as go-micro sends it, or hidden with --server_hide_errors; and
// an endpoint advertised `idempotent: "false"` not run twice by a retry.
import { afterEach, describe, expect, it } from "vitest";
import "../src/index.js";
import {
  type Context,
  createClient,
  createLogger,
  createService,
  type MicroService,
  silentLogger,
} from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(extra: Record<string, unknown> = {}) {
  const registry = new MemoryRegistry();
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: "info", format: "json", write: (l) => lines.push(JSON.parse(l)) });
  let runs = 0;
  const service = createService({
    name: "svc",
    registry,
    broker: "memory",
    argv: [],
    env: {},
    logger,
    address: "127.0.0.1:0",
    ...extra,
  }) as MicroService;
  service.handle(
    "H",
    {
      async crash() {
        throw new Error("secret table users_v2 missing");
      },
      async slow(ctx: Context) {
        runs++;
        await sleep(150);
        return { late: Date.now() > (ctx.deadline ?? Infinity) };
      },
      async once() {
        runs++;
        await sleep(150);
        return {};
      },
    },
    { endpoints: { once: { idempotent: false } } },
  );
  await service.start();
  cleanup.push(() => service.stop());
  return { service, registry, lines, runs: () => runs };
}

/** One raw go-micro request over HTTP, as a Go client sends it. */
async function post(service: MicroService, endpoint: string, id: string): Promise<Response> {
  return fetch(`http://${service.server.address()}/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Micro-Id": id,
      "Micro-Service": "svc",
      "Micro-Endpoint": endpoint,
      "Micro-Method": endpoint,
    },
    body: "{}",
  });
}

describe("handler errors on the wire", () => {
  it("carry the error's text in a 500 by default", async () => {
    const { service, lines } = await serve();
    const rsp = await post(service, "H.Crash", "7");
    expect(rsp.headers.get("micro-error")).toBe(
      '{"id":"go.micro.server","code":500,"detail":"secret table users_v2 missing","status":"Internal Server Error"}',
    );
    expect(lines.find((l) => l.level === "error")).toMatchObject({ endpoint: "H.Crash", request_id: "7" });
  });

  it("are a generic 500 naming the request and log reference with --server_hide_errors", async () => {
    const { service, lines } = await serve({ argv: ["--server_hide_errors"] });
    const rsp = await post(service, "H.Crash", "7");
    const line = lines.find((l) => l.level === "error")!;
    expect(line).toMatchObject({
      endpoint: "H.Crash",
      request_id: "7",
      error: "secret table users_v2 missing",
    });
    expect(rsp.headers.get("micro-error")).toBe(
      `{"id":"go.micro.server","code":500,"detail":"internal server error (request 7, ref ${line.ref})","status":"Internal Server Error"}`,
    );
  });
});

describe("retries through the registry selector", () => {
  it("run an ordinary endpoint once per timed-out attempt, and the server warns of each late finish", async () => {
    const { registry, lines, runs } = await serve();
    const client = createClient({ registry, broker: "memory", argv: [], env: {}, logger: silentLogger });
    cleanup.push(() => client.close());
    await expect(
      client.call("svc", "H.Slow", {}, { attemptTimeout: 60, retries: 2, backoff: () => 1 }),
    ).rejects.toMatchObject({ code: 408 });
    expect(runs()).toBe(3);
    await sleep(250);
    expect(lines.filter((l) => l.level === "warn" && l.endpoint === "H.Slow")).toHaveLength(3);
  });

  it("do not repeat an endpoint advertised idempotent: false", async () => {
    const { registry, runs } = await serve();
    const [svc] = await registry.getService("svc");
    expect(svc!.endpoints.find((e) => e.name === "H.Once")!.metadata).toEqual({ idempotent: "false" });
    const client = createClient({ registry, broker: "memory", argv: [], env: {}, logger: silentLogger });
    cleanup.push(() => client.close());
    await expect(
      client.call("svc", "H.Once", {}, { attemptTimeout: 60, retries: 2, backoff: () => 1 }),
    ).rejects.toMatchObject({ code: 408 });
    expect(runs()).toBe(1);
  });
});
