// node:http keep-alive peer: POST /hello with a JSON body, JSON reply. The agent keeps one socket per
// caller (maxSockets = concurrency) so the comparison is per-connection request/response like micro's.
import { Agent, createServer, request as httpRequest } from "node:http";
import type { BenchRequest, Caller, Peer } from "./types.js";

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

export const httpPeer: Peer = {
  serve() {
    const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
      void readBody(req).then((body) => {
        const { name } = JSON.parse(body.toString()) as BenchRequest;
        const out = Buffer.from(JSON.stringify({ msg: `Hello ${name}` }));
        res.writeHead(200, { "content-type": "application/json", "content-length": out.length });
        res.end(out);
      });
    });
    // Keep idle sockets open across the warm-up/measure boundary.
    server.keepAliveTimeout = 60_000;
    return new Promise((resolve) => {
      server.listen(0, "127.0.0.1", () => {
        const a = server.address() as { port: number };
        resolve(`127.0.0.1:${a.port}`);
      });
    });
  },

  async callers(address, concurrency, request) {
    const [host, port] = address.split(":");
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const call: Caller = () =>
      new Promise((resolve, reject) => {
        const body = Buffer.from(JSON.stringify(request));
        const req = httpRequest(
          {
            host,
            port: Number(port),
            method: "POST",
            path: "/hello",
            agent,
            headers: { "content-type": "application/json", "content-length": body.length },
          },
          (res) => void readBody(res).then((b) => resolve(JSON.parse(b.toString())), reject),
        );
        req.on("error", reject);
        req.end(body);
      });
    return Array.from({ length: concurrency }, () => call);
  },
};
