// Our gateway's process in the `gateway` and `gateway-go-service` modes: @micro/gateway in front of
// the service at argv[2] (caller count in argv[3]). The gateway runs apart from the service, so its
// registry is a memory registry holding that one node, registered here by hand: the selector caches
// it, and no call pays for a registry (the lookups are counted and printed on SIGTERM to show it).
import "@micro/codec-json";
import "@micro/selector";
import { MemoryBroker } from "@micro/broker-memory";
import { createClient, silentLogger } from "@micro/core";
import { createGateway } from "@micro/gateway";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";

const [serviceAddress, concurrencyArg] = process.argv.slice(2);
if (!serviceAddress) throw new Error("usage: gateway.js SERVICE_ADDRESS [CONCURRENCY]");

let lookups = 0;
class CountingRegistry extends MemoryRegistry {
  override getService(name: string) {
    lookups++;
    return super.getService(name);
  }
}

const registry = new CountingRegistry();
await registry.register({
  name: "bench",
  version: "latest",
  endpoints: [],
  // protocol mucp: what a go-micro or @micro/core server registers (no legacy envelope)
  nodes: [{ id: "bench-1", address: serviceAddress, metadata: { protocol: "mucp", transport: "http" } }],
});
const client = createClient({
  registry,
  broker: new MemoryBroker(),
  transport: new HttpTransport(),
  // one pooled connection per caller, as the `micro` mode's client and `micro api` (env) get
  poolSize: Math.max(100, Number(concurrencyArg ?? 1)),
  argv: [],
  logger: silentLogger,
});
const gateway = createGateway({ client, registry, address: "127.0.0.1:0", logger: silentLogger });
const address = await gateway.listen();
process.on("SIGTERM", () => {
  console.log(JSON.stringify({ registryLookups: lookups }));
  void gateway.close().then(() => process.exit(0));
});
console.log(JSON.stringify({ address }));
