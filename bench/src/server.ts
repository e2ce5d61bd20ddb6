// Benchmark server process: `raw` (framed TCP, JSON decode/encode per message), `micro` (a
// service on the http transport) or one of the peers in peers/ (http, moleculer, grpc). Prints its
// address as one JSON line on stdout, or {"skip": reason} when the peer's dependency is missing.
import "@micro/codec-json";
import { createServer } from "node:net";
import { MemoryBroker } from "@micro/broker-memory";
import { createService, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import { deframer, frame } from "./frames.js";
import { loadPeer } from "./peers/index.js";

const mode = process.argv[2];

if (mode === "raw") {
  const server = createServer({ noDelay: true }, (sock) => {
    sock.on(
      "data",
      deframer((payload) => {
        const req = JSON.parse(payload.toString()) as { name: string };
        sock.write(frame(Buffer.from(JSON.stringify({ msg: `Hello ${req.name}` }))));
      }),
    );
    sock.on("error", () => {});
  });
  server.listen(0, "127.0.0.1", () => {
    const a = server.address() as { port: number };
    console.log(JSON.stringify({ address: `127.0.0.1:${a.port}` }));
  });
  // Exit through process.exit so that --cpu-prof writes the profile.
  process.on("SIGTERM", () => process.exit(0));
} else if (mode === "micro") {
  const registry = new MemoryRegistry();
  const service = createService({
    name: "bench",
    registry,
    broker: new MemoryBroker(),
    transport: new HttpTransport(),
    address: "127.0.0.1:0",
    argv: [],
    logger: silentLogger,
    registerInterval: 0,
  });
  service.handle("Bench", {
    async hello(_ctx: unknown, req: { name: string }) {
      return { msg: `Hello ${req.name}` };
    },
  });
  await service.start();
  console.log(JSON.stringify({ address: service.server.address() }));
  process.on("SIGTERM", () => void service.stop().then(() => process.exit(0)));
} else {
  const peer = await loadPeer(mode ?? "");
  if ("skip" in peer) {
    console.log(JSON.stringify(peer));
    process.exit(0);
  }
  console.log(JSON.stringify({ address: await peer.serve() }));
  process.on("SIGTERM", () => process.exit(0));
}
