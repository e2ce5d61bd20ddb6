// `micro-w<N>` (e.g. `micro-w2`): the `micro` peer's service — http transport, JSON — served by N
// worker processes (`workers: N`, node:cluster) instead of one, to measure what more cores buy. The
// client side is `micro`'s. The server process run.ts starts is the primary: run.ts's CPU and RSS
// columns count that process only, not its workers, so read req/s and latency for this mode.
import { MemoryBroker } from "@micro/broker-memory";
import { createService, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import { microPeers } from "./micro.js";
import type { BenchRequest, Peer } from "./types.js";

export function microWorkersPeer(workers: number): Peer {
  return {
    ...microPeers.micro!,
    async serve() {
      // every worker runs this too (same program, same argv): it serves, its primary registers
      const service = createService({
        name: "bench",
        registry: new MemoryRegistry(),
        broker: new MemoryBroker(),
        transport: new HttpTransport(),
        address: "127.0.0.1:0",
        argv: [],
        logger: silentLogger,
        registerInterval: 0,
        workers,
      });
      service.handle(
        "Bench",
        {
          async hello(_ctx: unknown, req: BenchRequest) {
            return { msg: `Hello ${req.name}` };
          },
          async *echo(_ctx: unknown, inbound: AsyncIterable<BenchRequest>) {
            for await (const req of inbound) yield { msg: `Hello ${req.name}` };
          },
        },
        { endpoints: { echo: { stream: "bidi" } } },
      );
      await service.start();
      // the workers print the same address as the primary (run.ts reads the first line); a worker
      // stops when its primary tells it, so only the primary stops on SIGTERM
      if (service.worker === undefined)
        process.on("SIGTERM", () => void service.stop().then(() => process.exit(0)));
      return service.server.address();
    },
  };
}
