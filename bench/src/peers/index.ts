// Loads the peer module of a mode. Peers with npm dependencies import them lazily, so a missing
// package turns into a skip reason instead of a crash of the whole suite.
import type { Peer } from "./types.js";

export async function loadPeer(mode: string): Promise<Peer | { skip: string }> {
  try {
    if (mode === "raw") return (await import("./raw.js")).rawPeer;
    if (mode === "micro" || mode === "micro-mux" || mode === "micro-proto" || mode === "micro-nats") {
      return (await import("./micro.js")).microPeers[mode]!;
    }
    // `micro` / `micro-mux` served by N worker processes: micro-w2, micro-mux-w4…
    const workers = /^micro(-mux)?-w(\d+)$/.exec(mode);
    if (workers) {
      return (await import("./micro-workers.js")).microWorkersPeer(
        Number(workers[2]),
        workers[1] !== undefined,
      );
    }
    if (mode === "http") return (await import("./http.js")).httpPeer;
    // the gateway suite's HTTP load generator (src/gateway/run.ts): client side only
    if (mode === "http-load") return (await import("../gateway/http-load.js")).httpLoadPeer;
    if (mode === "moleculer") {
      await import("moleculer");
      return (await import("./moleculer.js")).moleculerPeer;
    }
    if (mode === "grpc") {
      await import("@grpc/grpc-js");
      await import("@grpc/proto-loader");
      return (await import("./grpc.js")).grpcPeer;
    }
  } catch (err) {
    return {
      skip: `${mode}: dependency missing (${(err as Error).message.split("\n")[0]}); pnpm -F @micro/bench add moleculer @grpc/grpc-js @grpc/proto-loader`,
    };
  }
  return { skip: `${mode}: unknown mode` };
}
