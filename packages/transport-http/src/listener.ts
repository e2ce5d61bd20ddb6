// Accepts TCP (or TLS) connections and hands each to the accept handler as a ServerSocket.
import { createServer, type Socket as NetSocket, type Server } from "node:net";
import { createServer as createTLSServer, type TLSSocket } from "node:tls";
import { type Listener, type ListenOptions, MicroError, type Socket, type TLSOptions } from "@micro/core";
import { joinHostPort, splitHostPort } from "@micro/core/plugin-kit";
import { reportAcceptError } from "./accept-errors.js";
import { BurstLog } from "./burst-log.js";
import { SERVER_ERROR_ID } from "./errors.js";
import { MuxConnection } from "./mux-connection.js";
import { PREFACE } from "./mux-frame.js";
import type { SocketSettings } from "./options.js";
import { refusal } from "./refusal.js";
import { ServerSocket } from "./server-socket.js";

/** Whether `tls` carries what a listener needs to serve TLS. */
export function servesTLS(tls: TLSOptions | undefined): tls is TLSOptions {
  return !!tls && (!!(tls.cert && tls.key) || !!tls.pfx);
}

// Node's TLS default when no read-header timeout is set.
const TLS_HANDSHAKE_TIMEOUT = 120_000;
const TOO_MANY: string = refusal(
  new MicroError(SERVER_ERROR_ID, "too many connections: try again later", 503),
);

export class HttpListener implements Listener {
  readonly #server: Server;
  readonly #settings: SocketSettings;
  readonly #maxConnections: number;
  #handler: ((socket: Socket) => void) | undefined;
  /** Sockets accepted before accept() was called. */
  #early: Socket[] = [];
  readonly #mux = new Set<MuxConnection>();
  /** TCP connections open (every one holds a file descriptor). */
  #open = 0;
  readonly #refused: BurstLog;
  #closed = false;
  readonly onClose: () => void;

  private constructor(server: Server, settings: SocketSettings, maxConnections: number, onClose: () => void) {
    this.#server = server;
    this.#settings = settings;
    this.#maxConnections = maxConnections;
    this.#refused = new BurstLog(settings.logger);
    this.onClose = onClose;
  }

  static async listen(
    address: string,
    settings: SocketSettings,
    tls: TLSOptions | undefined,
    maxConnections: number,
    options: ListenOptions = {},
    onClose: () => void = () => {},
  ): Promise<HttpListener> {
    const { host, port } = splitHostPort(address);
    const secure = servesTLS(tls);
    const server: Server = secure
      ? createTLSServer({
          ...tls,
          ALPNProtocols: ["http/1.1"],
          // Go bounds the handshake by the read-header timeout too
          handshakeTimeout: settings.readHeaderTimeout || TLS_HANDSHAKE_TIMEOUT,
        })
      : createServer({ noDelay: true });
    const listener = new HttpListener(server, settings, maxConnections, onClose);
    if (secure) {
      // before TLS takes the connection over: one over the cap is refused as soon as it opens
      server.prependListener("connection", (conn: NetSocket) => {
        if (!listener.#opened(conn, true)) conn.destroy();
      });
      server.on("secureConnection", (conn: TLSSocket) => listener.#accepted(conn));
      // a failed handshake concerns that peer only; Node leaves a timed-out one open
      server.on("tlsClientError", (err, conn) => {
        settings.logger.debug(`http transport: tls handshake: ${err.message}`);
        conn.destroy();
      });
    } else {
      server.on("connection", (conn: NetSocket) => {
        if (listener.#opened(conn, false)) listener.#accepted(conn);
      });
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host: host || undefined, port }, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (err) => reportAcceptError(err, listener.addr(), listener.#refused, settings.logger));
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
    this.#refused.stop();
    for (const s of this.#early.splice(0)) void s.close();
    // mux connections carry sockets that belong to their owners: no new ones, end when they are done
    for (const m of this.#mux) m.goAway();
    this.onClose();
    return Promise.resolve();
  }

  /** Counts the connection; false (and it is refused) when the listener holds its cap already. */
  #opened(conn: NetSocket, secure: boolean): boolean {
    const cap = this.#maxConnections;
    if (cap > 0 && this.#open >= cap) {
      this.#refused.hit(
        () =>
          `http transport: listener ${this.addr()}: ${this.#open} connections open, the cap ` +
          `(maxConnections ${cap}): refusing new ones until some close`,
        (n) => `http transport: listener ${this.addr()}: refused ${n} connections over the cap`,
      );
      conn.on("error", () => {});
      // a plain HTTP peer learns why (a TLS one could not read it: it just closes)
      if (!secure) {
        conn.end(TOO_MANY);
        conn.destroySoon();
      }
      return false;
    }
    this.#open++;
    conn.once("close", () => this.#open--);
    return true;
  }

  // A go-micro (or HTTP) client's first byte is a letter of its request line; our mux client's is NUL
  // (mux-frame.ts PREFACE). The connection is handed over once that byte shows which it is.
  #accepted(conn: NetSocket): void {
    // accepted connections are their owners' even after close(), so one still silent stays open,
    // though not past the read-header timeout (Go's starts when the connection does)
    const wait = this.#settings.readHeaderTimeout;
    const timer = wait > 0 ? setTimeout(() => conn.destroy(), wait) : undefined;
    timer?.unref();
    const gone = () => {
      clearTimeout(timer);
      conn.destroy();
    };
    conn.on("error", gone);
    conn.once("close", gone);
    conn.once("data", (first: Buffer) => {
      clearTimeout(timer);
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
