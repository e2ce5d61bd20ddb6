// Accepts TCP (or TLS) connections and hands each to the accept handler as a ServerSocket.
import { createServer, type Socket as NetSocket, type Server } from "node:net";
import { createServer as createTLSServer, type TLSSocket } from "node:tls";
import type { Listener, ListenOptions, Socket, TLSOptions } from "@micro/core";
import { joinHostPort, splitHostPort } from "@micro/core/plugin-kit";
import { MuxConnection } from "./mux-connection.js";
import { PREFACE } from "./mux-frame.js";
import type { SocketSettings } from "./options.js";
import { ServerSocket } from "./server-socket.js";

/** Whether `tls` carries what a listener needs to serve TLS. */
export function servesTLS(tls: TLSOptions | undefined): tls is TLSOptions {
  return !!tls && (!!(tls.cert && tls.key) || !!tls.pfx);
}

export class HttpListener implements Listener {
  readonly #server: Server;
  readonly #settings: SocketSettings;
  #handler: ((socket: Socket) => void) | undefined;
  /** Sockets accepted before accept() was called. */
  #early: Socket[] = [];
  readonly #mux = new Set<MuxConnection>();
  #closed = false;
  readonly onClose: () => void;

  private constructor(server: Server, settings: SocketSettings, onClose: () => void) {
    this.#server = server;
    this.#settings = settings;
    this.onClose = onClose;
  }

  static async listen(
    address: string,
    settings: SocketSettings,
    tls: TLSOptions | undefined,
    options: ListenOptions = {},
    onClose: () => void = () => {},
  ): Promise<HttpListener> {
    const { host, port } = splitHostPort(address);
    const secure = servesTLS(tls);
    const server: Server = secure
      ? createTLSServer({ ...tls, ALPNProtocols: ["http/1.1"] })
      : createServer({ noDelay: true });
    const listener = new HttpListener(server, settings, onClose);
    if (secure) {
      server.on("secureConnection", (conn: TLSSocket) => listener.#accepted(conn));
      // a failed handshake concerns that peer only
      server.on("tlsClientError", (err) =>
        settings.logger.debug(`http transport: tls handshake: ${err.message}`),
      );
    } else {
      server.on("connection", (conn: NetSocket) => listener.#accepted(conn));
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: host || undefined, port }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (err) =>
      settings.logger.error(`http transport: listener ${listener.addr()}: ${err.message}`),
    );
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) await listener.close();
      else signal.addEventListener("abort", () => void listener.close(), { once: true });
    }
    return listener;
  }

  addr(): string {
    const a = this.#server.address();
    if (a === null || typeof a === "string") return a ?? "";
    return joinHostPort(a.address, a.port);
  }

  accept(handler: (socket: Socket) => void): void {
    this.#handler = handler;
    for (const s of this.#early.splice(0)) this.#hand(s);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    // stop accepting; open connections belong to their owners now
    this.#server.close();
    for (const s of this.#early.splice(0)) void s.close();
    // mux connections carry sockets that belong to their owners: no new ones, end when they are done
    for (const m of this.#mux) m.goAway();
    this.onClose();
    return Promise.resolve();
  }

  // A go-micro (or HTTP) client's first byte is a letter of its request line; our mux client's is NUL
  // (mux-frame.ts PREFACE). The connection is handed over once that byte shows which it is.
  #accepted(conn: NetSocket): void {
    // accepted connections are their owners' even after close(), so one still silent stays open
    const gone = () => conn.destroy();
    conn.on("error", gone);
    conn.once("close", gone);
    conn.once("data", (first: Buffer) => {
      conn.off("error", gone);
      conn.off("close", gone);
      if (isMuxPreface(first)) this.#muxAccepted(conn, first);
      else {
        const socket = new ServerSocket(conn, this.#settings);
        if (this.#handler) this.#hand(socket);
        else this.#early.push(socket);
        socket.feed(first);
      }
    });
  }

  #muxAccepted(conn: NetSocket, first: Buffer): void {
    const mux = new MuxConnection(conn, true, this.#settings, (socket) => {
      if (this.#handler) this.#hand(socket);
      else this.#early.push(socket);
    });
    this.#mux.add(mux);
    conn.once("close", () => this.#mux.delete(mux));
    if (this.#closed) mux.goAway();
    mux.feed(first);
  }

  #hand(socket: Socket): void {
    try {
      this.#handler!(socket);
    } catch (err) {
      this.#settings.logger.error(`http transport: accept handler threw: ${String(err)}`);
      void socket.close();
    }
  }
}

/** The read starts like PREFACE, as far as it goes (an HTTP request cannot start with NUL). */
function isMuxPreface(first: Buffer): boolean {
  const n = Math.min(first.length, PREFACE.length);
  return first.compare(PREFACE, 0, n, 0, n) === 0;
}
