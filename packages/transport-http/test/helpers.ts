// Raw-socket peers for byte-level tests; a self-signed certificate and text helpers from @micro/testing.
import { connect, createServer, type Socket as NetSocket, type Server } from "node:net";
import { type Listener, type Logger, type Socket, silentLogger, type TransportMessage } from "@micro/core";
import { text } from "@micro/testing/helpers";
import { HttpTransport, type HttpTransportOptions } from "../src/index.js";

export { selfSignedCert, text, untext } from "@micro/testing/helpers";

const cleanups: (() => Promise<void> | void)[] = [];
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}
export async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

/** Everything a raw socket received so far, and a way to wait for more. */
export class RawPeer {
  received = Buffer.alloc(0);
  ended = false;
  #waiters: (() => void)[] = [];

  constructor(readonly socket: NetSocket) {
    socket.on("data", (c: Buffer) => {
      this.received = Buffer.concat([this.received, c]);
      this.#wake();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.ended = true;
      this.#wake();
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  async until(cond: (received: Buffer) => boolean, what = "data", timeout = 3000): Promise<Buffer> {
    const deadline = Date.now() + timeout;
    while (!cond(this.received)) {
      if (this.ended)
        throw new Error(
          `connection closed while waiting for ${what}; got ${JSON.stringify(this.received.toString("latin1"))}`,
        );
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; got ${JSON.stringify(this.received.toString("latin1"))}`,
        );
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.received;
  }

  /** Waits for `n` bytes and removes them from `received`. */
  async take(n: number, timeout = 3000): Promise<string> {
    await this.until((b) => b.length >= n, `${n} bytes`, timeout);
    const out = this.received.subarray(0, n).toString("latin1");
    this.received = this.received.subarray(n);
    return out;
  }

  async closed(timeout = 3000): Promise<void> {
    await this.until(() => this.ended, "close", timeout).catch((e) => {
      if (!this.ended) throw e;
    });
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }
}

export async function rawConnect(address: string): Promise<RawPeer> {
  const [host, port] = address.split(":");
  const socket = connect({ host, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  onCleanup(() => void socket.destroy());
  return new RawPeer(socket);
}

/** A raw TCP server that hands out its first connection. */
export async function rawServer(): Promise<{ address: string; peer: Promise<RawPeer>; server: Server }> {
  let resolve!: (p: RawPeer) => void;
  const peer = new Promise<RawPeer>((r) => {
    resolve = r;
  });
  const server = createServer((s) => {
    onCleanup(() => void s.destroy());
    resolve(new RawPeer(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  onCleanup(() => new Promise<void>((r) => server.close(() => r())));
  const a = server.address() as { port: number };
  return { address: `127.0.0.1:${a.port}`, peer, server };
}

/** An HttpTransport listening on 127.0.0.1 whose accepted sockets are queued for the test. */
export async function listenHttp(options: HttpTransportOptions = {}): Promise<{
  transport: HttpTransport;
  listener: Listener;
  address: string;
  next: () => Promise<Socket>;
}> {
  const transport = new HttpTransport({ logger: silentLogger, ...options });
  const listener = await transport.listen("127.0.0.1:0");
  onCleanup(() => listener.close());
  const accepted: Socket[] = [];
  const waiting: ((s: Socket) => void)[] = [];
  listener.accept((s) => {
    onCleanup(() => s.close());
    const w = waiting.shift();
    if (w) w(s);
    else accepted.push(s);
  });
  const next = () => {
    const s = accepted.shift();
    return s ? Promise.resolve(s) : new Promise<Socket>((r) => waiting.push(r));
  };
  return { transport, listener, address: listener.addr(), next };
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject");
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A logger keeping every line with its level, for tests of what gets logged and how often. */
export function recordingLogger(): Logger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const at = (level: string) => (msg: string) => {
    lines.push({ level, msg });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * Serves a socket the way core's server serves unary calls: one request at a time, each answered
 * `got <body length>` (after `delay` ms), the socket closed once recv() fails.
 */
export async function answerEach(socket: Socket, delay = 0): Promise<unknown> {
  for (;;) {
    let m: TransportMessage;
    try {
      m = await socket.recv();
    } catch (err) {
      await socket.close();
      return err;
    }
    if (delay > 0) await sleep(delay);
    await socket.send({ header: {}, body: text(`got ${m.body.length}`) }).catch(() => {});
  }
}

/** The bytes of a `200 OK` our server writes for `answerEach` (no echoed headers). */
export function gotReply(n: number): string {
  const body = `got ${n}`;
  return `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

/** The refusal our server writes for `err` before it closes. */
export function refusalBytes(err: { code: number; status: string; toString(): string }): string {
  const json = err.toString();
  return (
    `HTTP/1.1 ${err.code} ${err.status}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
    `Content-Type: application/json\r\nMicro-Error: ${json}\r\n\r\n${json}`
  );
}
