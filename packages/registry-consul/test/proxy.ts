// A recording HTTP proxy in front of the real agent: tests see the exact requests the registry sends
// (bodies, headers, query strings), and can take the "agent" away and bring it back on the same port.
import { once } from "node:events";
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { CONSUL_ADDR } from "./servers.js";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export class RecordingProxy {
  readonly seen: Seen[] = [];
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const [host, upstreamPort] = CONSUL_ADDR.split(":");
    this.#server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      this.seen.push({
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: body.toString("utf8"),
      });
      const up = request(
        { host, port: Number(upstreamPort), method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on("error", () => res.destroy());
      res.on("close", () => up.destroy());
      up.end(body);
    });
    this.#server.on("connection", (s) => {
      this.#sockets.add(s);
      s.on("close", () => this.#sockets.delete(s));
    });
    this.#server.listen(port, "127.0.0.1");
    await once(this.#server, "listening");
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** Closes the listener and every connection: to the registry the agent is gone. */
  async stop(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise((r) => this.#server?.close(r));
  }

  find(method: string, path: string | RegExp): Seen[] {
    return this.seen.filter(
      (s) =>
        s.method === method && (typeof path === "string" ? s.url.split("?")[0] === path : path.test(s.url)),
    );
  }
}

/** Direct calls to the agent, for arranging state behind the registry's back. */
export async function consul(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://${CONSUL_ADDR}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A loopback port nothing listens on. */
export async function deadPort(): Promise<number> {
  const { createServer } = await import("node:net");
  const s = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
