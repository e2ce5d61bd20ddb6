// Opens the connection behind a ClientSocket: plain TCP, or TLS with ALPN http/1.1 like Go's
// transport, bounded by the dial timeout and an optional abort signal.
import { connect as connectTCP, isIP, type Socket as NetSocket } from "node:net";
import { connect as connectTLS } from "node:tls";
import type { TLSOptions } from "@micro/core";
import { splitHostPort } from "@micro/core/plugin-kit";
import { DEFAULT_DIAL_TIMEOUT } from "./options.js";
import { handshakeError } from "./tls-errors.js";

export interface ConnectOptions {
  tls?: TLSOptions | undefined;
  timeout?: number | undefined;
  signal?: AbortSignal | undefined;
}

export function connect(address: string, options: ConnectOptions): Promise<NetSocket> {
  const { host: rawHost, port } = splitHostPort(address);
  if (!port) return Promise.reject(new Error(`dial tcp ${address}: missing port in address`));
  const host = rawHost || "127.0.0.1";
  const { tls, signal } = options;
  const timeout = options.timeout ?? DEFAULT_DIAL_TIMEOUT;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const ready = tls ? "secureConnect" : "connect";
    const conn: NetSocket = tls
      ? connectTLS({
          ...tls,
          host,
          port,
          ALPNProtocols: ["http/1.1"],
          rejectUnauthorized: !tls.insecureSkipVerify,
          // SNI must not carry an IP literal
          ...(tls.servername || !isIP(host) ? { servername: tls.servername ?? host } : {}),
        })
      : connectTCP({ host, port, noDelay: true });
    const timer = setTimeout(() => fail(new Error(`dial tcp ${address}: i/o timeout`)), timeout);
    // with TLS, an error once TCP is up is the handshake's (a plaintext server answers it at once)
    let tcpUp = false;
    if (tls) conn.once("connect", () => (tcpUp = true));
    const onError = (err: Error) => fail(tcpUp ? handshakeError(err) : err);
    const onAbort = () => fail(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      conn.off("error", onError);
      conn.off(ready, done);
    };
    function fail(err: unknown): void {
      cleanup();
      // late errors of an abandoned connection must not become uncaught exceptions
      conn.on("error", () => {});
      conn.destroy();
      reject(err);
    }
    function done(): void {
      cleanup();
      resolve(conn);
    }
    conn.once("error", onError);
    conn.once(ready, done);
  });
}
