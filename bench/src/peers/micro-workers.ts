// `micro-w<N>` (e.g. `micro-w2`): the `micro` peer's service — http transport, JSON — served by N
// worker processes (`workers: N`, node:cluster) instead of one, to measure what more cores buy; the
// client is `micro`'s (direct address, go-micro's framing). `micro-mux-w<N>` is `micro-mux`'s client,
// which opens one multiplexed connection per worker as the node's record says. Every worker prints
// the primary's address too (run.ts reads the first line); run.ts counts the whole process tree's CPU.
import { HttpTransport } from "@micro/transport-http";
import { microPeer } from "./micro.js";
import type { Peer } from "./types.js";

export function microWorkersPeer(workers: number, mux = false): Peer {
  return microPeer({
    transport: async () => new HttpTransport(),
    listen: "127.0.0.1:0",
    contentType: "application/json",
    mux,
    workers,
  });
}
