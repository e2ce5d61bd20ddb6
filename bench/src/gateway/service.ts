// The TypeScript service behind the `direct`, `gateway` and `go-micro-api` modes: `bench` with
// Bench.Hello on @micro/core over the http transport, JSON codec, as the `micro` peer's. Argument:
// the registry, `memory` (the callers know the address) or `mdns` (go-micro's `micro api` finds it;
// pinned to 127.0.0.1, run inside the suite's network namespace). Prints {"address"} once registered.
import "@micro/codec-json";
import "@micro/selector";
import { MemoryBroker } from "@micro/broker-memory";
import { createService, type Registry, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import type { BenchRequest } from "../peers/types.js";

async function registry(kind: string): Promise<Registry> {
  if (kind === "memory") return new MemoryRegistry();
  if (kind === "mdns") {
    const { MdnsRegistry } = await import("@micro/registry-mdns");
    return new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger });
  }
  throw new Error(`service: unknown registry ${kind}`);
}

const service = createService({
  name: "bench",
  registry: await registry(process.argv[2] ?? "memory"),
  broker: new MemoryBroker(),
  transport: new HttpTransport(),
  address: "127.0.0.1:0",
  argv: [],
  logger: silentLogger,
  // registered once: no re-registration traffic inside a measured window
  registerInterval: 0,
});
service.handle("Bench", {
  async hello(_ctx: unknown, req: BenchRequest) {
    return { msg: `Hello ${req.name}` };
  },
});
await service.start();
// exit through process.exit so that --cpu-prof writes the profile
process.on("SIGTERM", () => void service.stop().then(() => process.exit(0)));
console.log(JSON.stringify({ address: service.server.address() }));
