// Moleculer peer: two brokers (server node "bench-server", client node "bench-client") on the TCP
// transporter with the JSON serializer, UDP discovery off and a static `urls` entry for the server.
// Moleculer's TCP transporter listens on all interfaces and advertises the machine's hostname; the
// benchmark must stay on loopback, so a small subclass binds its listener to 127.0.0.1 and always
// dials peers at 127.0.0.1 (both nodes run on this machine).
import net from "node:net";
import type { BenchRequest, Caller, Peer } from "./types.js";

export const SERVER_NODE = "bench-server";

interface TcpInternals {
  startTcpServer(): Promise<unknown>;
}

async function loopbackTcp(opts: Record<string, unknown>): Promise<unknown> {
  const { Transporters } = await import("moleculer");
  const Base = Transporters.TCP as unknown as new (o: unknown) => TcpInternals;
  class LoopbackTcp extends Base {
    override startTcpServer(): Promise<unknown> {
      // The reader calls server.listen({port}) synchronously inside this call: add the host.
      const listen = net.Server.prototype.listen;
      net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
        const [first, ...rest] = args;
        if (first && typeof first === "object" && !("host" in first)) {
          return listen.call(this, { ...(first as object), host: "127.0.0.1" }, ...(rest as []));
        }
        return (listen as (...a: unknown[]) => net.Server).apply(this, args);
      } as typeof listen;
      try {
        return super.startTcpServer();
      } finally {
        net.Server.prototype.listen = listen;
      }
    }
    getNodeAddress(): string {
      return "127.0.0.1";
    }
  }
  return new LoopbackTcp({ udpDiscovery: false, ...opts });
}

/** A broker on the loopback TCP transporter (also the moleculer-web gateway's, src/gateway/). */
export async function broker(nodeID: string, transporterOpts: Record<string, unknown>) {
  const { ServiceBroker } = await import("moleculer");
  const transporter = (await loopbackTcp(transporterOpts)) as never;
  return new ServiceBroker({ nodeID, transporter, serializer: "JSON", logger: false });
}

export const moleculerPeer: Peer = {
  async serve() {
    const b = await broker(SERVER_NODE, { port: 0, urls: [] });
    b.createService({
      name: "bench",
      actions: {
        hello(ctx: { params: BenchRequest }) {
          return { msg: `Hello ${ctx.params.name}` };
        },
      },
    });
    await b.start();
    const port = (b.transit as unknown as { tx: { opts: { port: number } } }).tx.opts.port;
    return `127.0.0.1:${port}`;
  },

  async callers(address, concurrency, request) {
    const b = await broker("bench-client", { port: 0, urls: [`${address}/${SERVER_NODE}`] });
    await b.start();
    await b.waitForServices("bench", 10_000);
    const call: Caller = () => b.call("bench.hello", request);
    return Array.from({ length: concurrency }, () => call);
  },
};
