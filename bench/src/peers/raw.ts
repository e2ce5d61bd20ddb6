// The Node ceiling: length-prefixed JSON frames over plain TCP, one connection per caller, decoded
// and encoded per message as the micro server does. The same connection serves a stream: every frame
// the client sends is answered by one frame, so unary and bidi differ only in how the client waits.
import { connect, createServer, type Socket } from "node:net";
import { deframer, frame } from "../frames.js";
import type { BenchRequest, Caller, Peer } from "./types.js";

function dial(address: string): Promise<Socket> {
  const [host, port] = address.split(":");
  const sock = connect({ host: host!, port: Number(port), noDelay: true });
  return new Promise((resolve, reject) => {
    sock.once("connect", () => resolve(sock));
    sock.once("error", reject);
  });
}

const encode = (req: BenchRequest) => frame(Buffer.from(JSON.stringify(req)));

export const rawPeer: Peer = {
  async serve() {
    const server = createServer({ noDelay: true }, (sock) => {
      sock.on(
        "data",
        deframer((payload) => {
          const req = JSON.parse(payload.toString()) as BenchRequest;
          sock.write(frame(Buffer.from(JSON.stringify({ msg: `Hello ${req.name}` }))));
        }),
      );
      sock.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return `127.0.0.1:${(server.address() as { port: number }).port}`;
  },

  async callers(address, concurrency, request) {
    const callers: Caller[] = [];
    for (let i = 0; i < concurrency; i++) {
      const sock = await dial(address);
      let pending: ((v: unknown) => void) | undefined;
      sock.on(
        "data",
        deframer((payload) => {
          const p = pending;
          pending = undefined;
          p?.(JSON.parse(payload.toString()));
        }),
      );
      callers.push(
        () =>
          new Promise((resolve) => {
            pending = resolve;
            sock.write(encode(request));
          }),
      );
    }
    return callers;
  },

  async openStream(address, onReply) {
    const sock = await dial(address);
    sock.on(
      "data",
      deframer((payload) => {
        JSON.parse(payload.toString());
        onReply();
      }),
    );
    return {
      send(req) {
        if (!sock.write(encode(req))) return new Promise<void>((r) => sock.once("drain", () => r()));
      },
      async close() {
        sock.end();
      },
    };
  },
};
