// The client side of the multiplexed path: one connection per address, shared by every socket
// dialMux opens to it; a new one is dialed once the old one is gone or retiring.
import type { TLSOptions } from "@micro/core";
import type { MuxDialOptions } from "@micro/core/plugin-kit";
import { connect } from "./dial.js";
import { MuxConnection } from "./mux-connection.js";
import type { MuxSocket } from "./mux-socket.js";
import type { SocketSettings } from "./options.js";

/** The connections to one address, used in turn. */
interface Lane {
  conns: (Promise<MuxConnection> | undefined)[];
  next: number;
}

const MAX_CONNECTIONS = 64;
// Towards a node with several workers, a connection is replaced after this long. The workers' primary
// hands each new connection to the next worker, so a worker that restarted (or started late) gets its
// share again within this time instead of never (a connection stays with the worker that accepted it).
const REBALANCE_MS = 5_000;

export class MuxDialer {
  readonly #lanes = new Map<string, Lane>();

  constructor(
    private readonly settings: SocketSettings,
    private readonly tls: TLSOptions | undefined,
  ) {}

  async dial(address: string, options: MuxDialOptions = {}): Promise<MuxSocket> {
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    const want = Math.min(MAX_CONNECTIONS, Math.max(1, Math.floor(options.connections ?? 1) || 1));
    let lane = this.#lanes.get(address);
    if (lane === undefined) {
      lane = { conns: [], next: 0 };
      this.#lanes.set(address, lane);
    }
    const slot = lane.next++ % want;
    let pending = lane.conns[slot];
    if (pending === undefined) {
      pending = this.#connect(lane, slot, address, options.timeout, want > 1);
      lane.conns[slot] = pending;
    }
    // the dial is shared: one caller giving up must not abort it for the others
    const conn = await (signal ? abortable(pending, signal) : pending);
    if (!conn.usable) {
      if (lane.conns[slot] === pending) lane.conns[slot] = undefined;
      return this.dial(address, options);
    }
    return conn.open();
  }

  #connect(
    lane: Lane,
    slot: number,
    address: string,
    timeout: number | undefined,
    rebalance: boolean,
  ): Promise<MuxConnection> {
    const forget = (p: Promise<MuxConnection>) => {
      if (lane.conns[slot] === p) lane.conns[slot] = undefined;
      if (lane.conns.every((c) => c === undefined) && this.#lanes.get(address) === lane)
        this.#lanes.delete(address);
    };
    const p: Promise<MuxConnection> = connect(address, { tls: this.tls, timeout }).then(
      (net) => {
        const conn = new MuxConnection(net, false, this.settings);
        if (rebalance) conn.expireAfter(REBALANCE_MS);
        conn.onRetire = () => forget(p);
        if (conn.dead) conn.onRetire();
        return conn;
      },
      (err: unknown) => {
        forget(p);
        throw err;
      },
    );
    return p;
  }

  /** Closes every connection (the transport's owner is done with it). */
  async close(): Promise<void> {
    const all = [...this.#lanes.values()].flatMap((l) => l.conns);
    this.#lanes.clear();
    for (const p of all) (await p?.catch(() => undefined))?.destroy();
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
