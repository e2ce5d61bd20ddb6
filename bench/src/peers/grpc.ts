// @grpc/grpc-js unary peer: Bench.Hello from bench/proto/bench.proto (loaded at run time with
// @grpc/proto-loader), insecure credentials, 127.0.0.1. One client (one HTTP/2 connection,
// multiplexed) shared by all callers, which is how grpc-js is normally used.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchRequest, Caller, Peer } from "./types.js";

const protoPath = join(dirname(fileURLToPath(import.meta.url)), "../../proto/bench.proto");

type UnaryCb = (err: Error | null, reply?: { msg: string }) => void;
interface Duplex {
  write(req: BenchRequest): boolean;
  end(): void;
  on(event: "data", cb: (reply: { msg: string }) => void): void;
  on(event: "end" | "drain", cb: () => void): void;
  on(event: "error", cb: (err: Error) => void): void;
  once(event: "drain", cb: () => void): void;
}
interface BenchClient {
  Hello(req: BenchRequest, cb: UnaryCb): void;
  Echo(): Duplex;
}

async function load() {
  const grpc = await import("@grpc/grpc-js");
  const loader = await import("@grpc/proto-loader");
  const def = await loader.load(protoPath, { keepCase: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    bench: { Bench: import("@grpc/grpc-js").ServiceClientConstructor };
  };
  return { grpc, Bench: pkg.bench.Bench };
}

export const grpcPeer: Peer = {
  async serve() {
    const { grpc, Bench } = await load();
    const server = new grpc.Server();
    server.addService(Bench.service, {
      Hello(call: { request: BenchRequest }, cb: UnaryCb) {
        cb(null, { msg: `Hello ${call.request.name}` });
      },
      Echo(call: Duplex) {
        call.on("data", (req: unknown) =>
          call.write({ msg: `Hello ${(req as BenchRequest).name}` } as never),
        );
        call.on("end", () => call.end());
        call.on("error", () => {});
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    return `127.0.0.1:${port}`;
  },

  async callers(address, concurrency, request) {
    const { grpc, Bench } = await load();
    // The default 4 MiB message limit is enough for the 64 KiB variant.
    const client = new Bench(address, grpc.credentials.createInsecure()) as unknown as BenchClient;
    const call: Caller = () =>
      new Promise((resolve, reject) =>
        client.Hello(request, (err, reply) => (err ? reject(err) : resolve(reply))),
      );
    return Array.from({ length: concurrency }, () => call);
  },

  async openStream(address, onReply) {
    const { grpc, Bench } = await load();
    const client = new Bench(address, grpc.credentials.createInsecure()) as unknown as BenchClient;
    const call = client.Echo();
    const ended = new Promise<void>((resolve) => {
      call.on("end", resolve);
      call.on("error", () => resolve());
    });
    call.on("data", () => onReply());
    return {
      send(req) {
        if (!call.write(req)) return new Promise<void>((r) => call.once("drain", r));
      },
      async close() {
        call.end();
        await ended;
      },
    };
  },
};
