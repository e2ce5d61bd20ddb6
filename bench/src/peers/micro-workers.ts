// `micro-w<N>` (e.g. `micro-w2`): the `micro` peer's service — http transport, JSON — served by N
// worker processes (`workers: N`, node:cluster) instead of one, to measure what more cores buy. The
// client side is `micro`'s; `micro-mux-w<N>` is `micro-mux`'s client, which opens one multiplexed
// connection per worker as the node's record says. run.ts counts the CPU of the whole process tree.
import { MemoryBroker } from "@micro/broker-memory";
import { createService, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import { microPeer, microPeers } from "./micro.js";
import type { BenchRequest, Peer } from "./types.js";

export function microWorkersPeer(workers: number, mux = false): Peer {
  const client = mux
    ? microPeer({
        transport: async () => new HttpTransport(),
        listen: "127.0.0.1:0",
        contentType: "application/json",
        mux: true,
        workers,
      })
    : microPeers.micro!;
  return {
    ...client,
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
