// Many calls on one connection between two of our peers, negotiated by node metadata: a node that
// advertises `micro-ts-mux` gets multiplexed calls, a node without it (every go-micro node) gets
// go-micro's one-call-per-connection HTTP framing, and a handler sees the same metadata either way.
import { afterEach, describe, expect, it } from "vitest";
import "../src/index.js";
import { type Context, createClient, createService, type MicroService, silentLogger } from "@micro/core";
import { MUX_MARKER } from "@micro/core/plugin-kit";
import { MemoryRegistry } from "@micro/registry-memory";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve() {
  const registry = new MemoryRegistry();
  const service = createService({
    name: "svc",
    registry,
    broker: "memory",
    argv: [],
    env: {},
    logger: silentLogger,
    address: "127.0.0.1:0",
  }) as MicroService;
  service.handle("H", {
    // the caller's connection and metadata, after a pause so concurrent calls overlap
    async who(ctx: Context) {
      await sleep(20);
      return {
        remote: ctx.metadata.get("Remote"),
        trace: ctx.metadata.get("X-Trace"),
        id: ctx.metadata.get("Micro-Id"),
      };
    },
  });
  await service.start();
  cleanup.push(() => service.stop());
  const client = createClient({ registry, broker: "memory", argv: [], env: {}, logger: silentLogger });
  cleanup.push(() => client.close());
  return { service, registry, client };
}

type Who = { remote: string; trace?: string; id?: string };

describe("multiplexing is negotiated by node metadata", () => {
  it("our node advertises it; concurrent calls share one connection and see the same metadata", async () => {
    const { registry, client } = await serve();
    const [svc] = await registry.getService("svc");
    expect(svc!.nodes[0]!.metadata?.[MUX_MARKER]).toBe("1");
    const calls = Array.from({ length: 20 }, () =>
      client.call<Who>("svc", "H.Who", {}, { metadata: { "x-trace": " a\r\nb " } }),
    );
    const answers = await Promise.all(calls);
    expect(new Set(answers.map((a) => a.remote)).size).toBe(1);
    // as the HTTP path delivers it: canonical key, CR/LF as spaces, trimmed
    expect(answers[0]!.trace).toBe("a  b");
    const direct = await client.call<Who>(
      "svc",
      "H.Who",
      {},
      { address: svc!.nodes[0]!.address, metadata: { "x-trace": " a\r\nb " } },
    );
    expect(direct.trace).toBe(answers[0]!.trace);
    expect(direct.id).toBeTruthy();
  });

  it("a node without the marker (a go-micro node) gets one call per connection", async () => {
    const { registry, client } = await serve();
    const [svc] = await registry.getService("svc");
    const node = svc!.nodes[0]!;
    // the same server, registered as go-micro registers itself: no marker
    await registry.deregister(svc!);
    const { [MUX_MARKER]: _, ...goMetadata } = node.metadata ?? {};
    await registry.register({ ...svc!, nodes: [{ ...node, id: "go-like", metadata: goMetadata }] });
    const answers = await Promise.all(Array.from({ length: 10 }, () => client.call<Who>("svc", "H.Who", {})));
    expect(new Set(answers.map((a) => a.remote)).size).toBe(10);
  });
});
