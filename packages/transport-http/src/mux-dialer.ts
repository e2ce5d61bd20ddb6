// The client side of the multiplexed path: one connection per address, shared by every socket
// dialMux opens to it; a new one is dialed once the old one is gone or retiring.
import type { DialOptions, TLSOptions } from "@micro/core";
import { connect } from "./dial.js";
import { MuxConnection } from "./mux-connection.js";
import type { MuxSocket } from "./mux-socket.js";
import type { SocketSettings } from "./options.js";

export class MuxDialer {
  readonly #conns = new Map<string, Promise<MuxConnection>>();

  constructor(
    private readonly settings: SocketSettings,
    private readonly tls: TLSOptions | undefined,
  ) {}

  async dial(address: string, options: DialOptions = {}): Promise<MuxSocket> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    let pending = this.#conns.get(address);
    if (pending === undefined) {
      pending = this.#connect(address, options.timeout);
      this.#conns.set(address, pending);
    }
    // the dial is shared: one caller giving up must not abort it for the others
    const conn = await (signal ? abortable(pending, signal) : pending);
    if (!conn.usable) {
      if (this.#conns.get(address) === pending) this.#conns.delete(address);
      return this.dial(address, options);
    }
    return conn.open();
  }

  #connect(address: string, timeout: number | undefined): Promise<MuxConnection> {
    const p = connect(address, { tls: this.tls, timeout }).then(
      (net) => {
        const conn = new MuxConnection(net, false, this.settings);
        conn.onRetire = () => {
          if (this.#conns.get(address) === p) this.#conns.delete(address);
        };
        if (conn.dead) conn.onRetire();
        return conn;
      },
      (err: unknown) => {
        if (this.#conns.get(address) === p) this.#conns.delete(address);
        throw err;
      },
    );
    return p;
  }

  /** Closes every connection (the transport's owner is done with it). */
  async close(): Promise<void> {
    const all = [...this.#conns.values()];
    this.#conns.clear();
    for (const p of all) (await p.catch(() => undefined))?.destroy();
  }
}

function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
