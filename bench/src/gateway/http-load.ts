// The HTTP load generator of the gateway suite, as a client.ts peer (`http-load`), so every HTTP mode
// is driven by the same closed loop, warm-up and latency bookkeeping as the rest of the benchmarks.
// Address: "host:port/path". One keep-alive connection per caller, one request in flight on each.
// It speaks HTTP/1.1 over a raw socket instead of undici or node:http: a pre-built request buffer
// and a scan for Content-Length cost a fraction of either's CPU (README), and on 2 cores every µs
// the load generator spends is taken from the gateway being measured.
import { connect, type Socket } from "node:net";
import type { BenchRequest, Caller, Peer } from "../peers/types.js";

interface Reply {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * One HTTP/1.1 exchange at a time on one socket. Answers with Content-Length are the fast path;
 * chunked ones (a gateway that does not know its length up front) are read too.
 */
class Connection {
  readonly #socket: Socket;
  #buffered: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  #failed: Error | undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffered = this.#buffered.length ? Buffer.concat([this.#buffered, chunk]) : chunk;
      this.#drain();
    });
    const fail = (err: Error) => {
      this.#failed = err;
      this.#waiting?.reject(err);
      this.#waiting = undefined;
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed by the server")));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new Connection(socket));
      });
      socket.once("error", reject);
    });
  }

  send(request: Buffer): Promise<Reply> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #drain(): void {
    const reply = parseReply(this.#buffered);
    if (!reply) return;
    this.#buffered = this.#buffered.subarray(reply.consumed);
    const w = this.#waiting;
    this.#waiting = undefined;
    w?.resolve(reply);
  }
}

/** A complete reply at the start of `buf` and the bytes it took, or undefined while incomplete. */
function parseReply(buf: Buffer): (Reply & { consumed: number }) | undefined {
  const end = buf.indexOf(HEADER_END);
  if (end < 0) return undefined;
  const head = buf.toString("latin1", 0, end);
  const status = Number(head.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const start = end + 4;
  if (length) {
    const stop = start + Number(length[1]);
    return buf.length < stop ? undefined : { status, body: buf.subarray(start, stop), consumed: stop };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return parseChunked(buf, start, status);
  throw new Error(`reply without Content-Length or chunked encoding: ${head.split("\r\n")[0]}`);
}

function parseChunked(buf: Buffer, from: number, status: number) {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const eol = buf.indexOf("\r\n", at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(buf.toString("latin1", at, eol), 16);
    if (size === 0) {
      // no trailers expected: the last chunk is followed by one empty line
      const last = eol + 4;
      return buf.length < last ? undefined : { status, body: Buffer.concat(parts), consumed: last };
    }
    const dataEnd = eol + 2 + size;
    if (buf.length < dataEnd + 2) return undefined;
    parts.push(buf.subarray(eol + 2, dataEnd));
    at = dataEnd + 2;
  }
}

function target(address: string) {
  const slash = address.indexOf("/");
  const hostPort = address.slice(0, slash);
  const colon = hostPort.lastIndexOf(":");
  return {
    host: hostPort.slice(0, colon),
    port: Number(hostPort.slice(colon + 1)),
    path: address.slice(slash),
  };
}

function encodeRequest(host: string, port: number, path: string, request: BenchRequest): Buffer {
  const body = JSON.stringify(request);
  return Buffer.from(
    `POST ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Waits until the gateway answers the request with the expected reply: it may still be discovering
 * the service (go-micro's `micro api` asks mdns on its first call). Fails after 20 s with the last
 * answer, so a wrong route or a broken mode stops the suite instead of measuring error replies.
 */
async function probe(host: string, port: number, request: Buffer, expected: string): Promise<void> {
  let last = "no answer";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const c = await Connection.open(host, port);
      try {
        const r = await c.send(request);
        last = `${r.status} ${r.body.toString()}`;
        if (r.status === 200 && (JSON.parse(r.body.toString()) as { msg?: string }).msg === expected) return;
      } finally {
        c.close();
      }
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`http-load: ${host}:${port} never answered as expected; last: ${last}`);
}

export const httpLoadPeer: Peer = {
  serve() {
    return Promise.reject(new Error("http-load is a load generator only"));
  },

  async callers(address, concurrency, request) {
    const { host, port, path } = target(address);
    const bytes = encodeRequest(host, port, path, request);
    await probe(host, port, bytes, `Hello ${request.name}`);
    const connections = await Promise.all(
      Array.from({ length: concurrency }, () => Connection.open(host, port)),
    );
    return connections.map(
      (c): Caller =>
        async () => {
          const r = await c.send(bytes);
          // a gateway answering errors quickly must not pass for a fast one
          if (r.status !== 200) throw new Error(`http-load: HTTP ${r.status}: ${r.body.toString()}`);
          return r;
        },
    );
  },
};
