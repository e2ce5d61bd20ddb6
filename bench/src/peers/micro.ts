// This project's peers: a @micro/core service and client over the http transport with the JSON
// codec (`micro`), the same with the protobuf codec (`micro-proto`, types from bench/proto), and
// over the NATS transport with JSON (`micro-nats`, needs nats-server: $NATS_URL or 127.0.0.1:4222).
// Calls carry a direct address, the steady state once the selector has picked a node; the client's
// registry counts lookups to show that no call makes a registry round trip.
import "@micro/codec-json";
import "@micro/codec-proto";
import "@micro/selector";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MemoryBroker } from "@micro/broker-memory";
import { loadProto } from "@micro/codec-proto";
import {
  type CallOptions,
  createClient,
  createService,
  type EndpointOptions,
  type MessageType,
  silentLogger,
  type Transport,
} from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { HttpTransport } from "@micro/transport-http";
import type { BenchRequest, Caller, Peer } from "./types.js";

const protoPath = join(dirname(fileURLToPath(import.meta.url)), "../../proto/bench.proto");
const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";

let lookups = 0;
/** Registry lookups the micro client made so far. */
export const registryLookups = () => lookups;

class CountingRegistry extends MemoryRegistry {
  override getService(name: string) {
    lookups++;
    return super.getService(name);
  }
  override listServices() {
    lookups++;
    return super.listServices();
  }
}

export interface Variant {
  transport(): Promise<Transport>;
  /** Listen address: a host:port for http, a subject for nats (":0" = a fresh inbox). */
  listen: string;
  contentType: string;
  types?: () => Promise<{ request: MessageType; response: MessageType }>;
  /**
   * Reach the server through the registry, as a node of ours advertises itself (`micro-ts-mux`): the
   * client then multiplexes calls on a shared connection instead of one call per pooled connection.
   */
  mux?: boolean;
  /**
   * The server runs on this many worker processes (`workers`, node:cluster); with mux the client's
   * record of it says so, and the client opens one connection per worker.
   */
  workers?: number;
}

async function natsTransport(): Promise<Transport> {
  const { NatsTransport } = await import("@micro/transport-nats");
  return new NatsTransport({ addresses: [natsUrl], logger: silentLogger, connectAttempts: 1 });
}

async function benchTypes() {
  const proto = await loadProto(protoPath);
  return { request: proto.type("bench.HelloRequest"), response: proto.type("bench.HelloReply") };
}

export function microPeer(v: Variant): Peer {
  return {
    async serve() {
      const service = createService({
        name: "bench",
        registry: new MemoryRegistry(),
        broker: new MemoryBroker(),
        transport: await v.transport(),
        address: v.listen,
        argv: [],
        logger: silentLogger,
        registerInterval: 0,
        ...(v.workers ? { workers: v.workers } : {}),
      });
      const t = v.types ? await v.types() : undefined;
      const typed: EndpointOptions = t ? { requestType: t.request, responseType: t.response } : {};
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
        { endpoints: { hello: typed, echo: { ...typed, stream: "bidi" } } },
      );
      await service.start();
      // with workers every process runs this; only the primary stops on SIGTERM and stops its workers
      if (service.worker === undefined)
        process.on("SIGTERM", () => void service.stop().then(() => process.exit(0)));
      return service.server.address();
    },

    async callers(address, concurrency, request) {
      const registry = new CountingRegistry();
      const client = await clientFor(v, concurrency, registry);
      let options = await callOptions(v, address);
      if (v.mux) {
        // the node record our server registers (in its own process): the selector picks it
        await registry.register({
          name: "bench",
          version: "latest",
          endpoints: [],
          nodes: [
            {
              id: "bench-1",
              address,
              metadata: {
                protocol: "mucp",
                "micro-ts": "1",
                "micro-ts-mux": "1",
                ...(v.workers ? { "micro-ts-workers": String(v.workers) } : {}),
              },
            },
          ],
        });
        const { address: _, ...rest } = options;
        options = rest;
      }
      const call: Caller = () => client.call("bench", "Bench.Hello", request, options);
      return Array.from({ length: concurrency }, () => call);
    },

    async openStream(address, onReply) {
      const client = await clientFor(v);
      const stream = client.stream<unknown, BenchRequest>(
        "bench",
        "Bench.Echo",
        undefined,
        await callOptions(v, address),
      );
      const reading = (async () => {
        for await (const _ of stream) onReply();
      })();
      return {
        send: (req) => stream.send(req),
        async close() {
          await stream.close();
          await reading.catch(() => {});
        },
      };
    },
  };
}

/**
 * Pool at least as large as the caller count, as interop/cmd/bench does for go-micro: with go-micro's
 * default of 100 idle connections per address, callers beyond 100 would dial and close a connection
 * per call.
 */
async function clientFor(v: Variant, concurrency = 1, registry = new CountingRegistry()) {
  return createClient({
    poolSize: Math.max(100, concurrency),
    registry,
    broker: new MemoryBroker(),
    transport: await v.transport(),
    contentType: v.contentType,
    argv: [],
    logger: silentLogger,
  });
}

async function callOptions(v: Variant, address: string): Promise<CallOptions> {
  const t = v.types ? await v.types() : undefined;
  return { address, ...(t ? { requestType: t.request, responseType: t.response } : {}) };
}

export const microPeers: Record<string, Peer> = {
  micro: microPeer({
    transport: async () => new HttpTransport(),
    listen: "127.0.0.1:0",
    contentType: "application/json",
  }),
  "micro-proto": microPeer({
    transport: async () => new HttpTransport(),
    listen: "127.0.0.1:0",
    contentType: "application/protobuf",
    types: benchTypes,
  }),
  "micro-mux": microPeer({
    transport: async () => new HttpTransport(),
    listen: "127.0.0.1:0",
    contentType: "application/json",
    mux: true,
  }),
  "micro-nats": microPeer({ transport: natsTransport, listen: ":0", contentType: "application/json" }),
};
