// Loads the peer module of a mode. Each peer imports its npm dependency lazily, so a missing package
// turns into a skip reason instead of a crash of the whole suite.
import type { Peer } from "./types.js";

export const peerModes = ["http", "moleculer", "grpc"] as const;

export async function loadPeer(mode: string): Promise<Peer | { skip: string }> {
  try {
    if (mode === "http") return (await import("./http.js")).httpPeer;
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
