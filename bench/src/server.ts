// Benchmark server process for one mode (see peers/): prints its address as one JSON line on stdout,
// or {"skip": reason} when the peer's dependency or server (nats-server for micro-nats) is missing.
import { loadPeer } from "./peers/index.js";

const mode = process.argv[2] ?? "";
const peer = await loadPeer(mode);
if ("skip" in peer) {
  console.log(JSON.stringify(peer));
  process.exit(0);
}
try {
  console.log(JSON.stringify({ address: await peer.serve() }));
} catch (err) {
  console.log(JSON.stringify({ skip: `${mode}: server did not start (${(err as Error).message})` }));
  process.exit(0);
}
// Exit through process.exit so that --cpu-prof writes the profile (micro peers stop their service first).
if (process.listenerCount("SIGTERM") === 0) process.on("SIGTERM", () => process.exit(0));
