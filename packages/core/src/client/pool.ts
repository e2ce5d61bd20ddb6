// Per-address pool of idle connections for unary calls (go-micro: 100 per address, 1 min TTL from
// creation). One call at a time per connection: Go servers route id-less requests by order.
// An idle connection does not hold the process open: a script ends once its calls are done.
import type { Socket, Transport } from "../transport.js";
import { holdProcess, type MuxDialOptions, reusable } from "../transport-fast.js";

interface Pooled {
  socket: Socket;
  created: number;
}

export interface PoolOptions {
  size: number;
  ttl: number;
}

export class ConnectionPool {
  readonly #idle = new Map<string, Pooled[]>();
  readonly #created = new WeakMap<Socket, number>();
  #closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly options: PoolOptions,
  ) {}

  /** An idle connection to `address` if there is a live one (no promise: the hot path of a call). */
  take(address: string): Socket | undefined {
    const list = this.#idle.get(address);
    if (!list || list.length === 0) return undefined;
    const now = Date.now();
    while (list.length > 0) {
      const p = list.pop()!;
      if (reusable(p.socket) && now - p.created < this.options.ttl) {
        holdProcess(p.socket, true);
        return p.socket;
      }
      void p.socket.close().catch(() => {});
    }
    return undefined;
  }

  /** `connections`: for a multiplexing pool, the node's worker count (see MuxDialOptions). */
  async get(
    address: string,
    dialTimeout: number,
    signal?: AbortSignal,
    connections?: number,
  ): Promise<Socket> {
    const idle = this.take(address);
    if (idle) return idle;
    const options: MuxDialOptions = { timeout: dialTimeout, signal };
    if (connections !== undefined) options.connections = connections;
    const socket = await this.transport.dial(address, options);
    this.#created.set(socket, Date.now());
    return socket;
  }

  /** Returns a healthy connection for reuse; anything else is closed. */
  release(address: string, socket: Socket): void {
    const created = this.#created.get(socket) ?? 0;
    if (this.#closed || !reusable(socket) || Date.now() - created >= this.options.ttl) {
      void socket.close().catch(() => {});
      return;
    }
    let list = this.#idle.get(address);
    if (!list) {
      list = [];
      this.#idle.set(address, list);
    }
    if (list.length >= this.options.size) {
      void socket.close().catch(() => {});
      return;
    }
    holdProcess(socket, false);
    list.push({ socket, created });
  }

  discard(socket: Socket): void {
    void socket.close().catch(() => {});
  }

  /** Drops every idle connection to `address` (the node went away). */
  evict(address: string): void {
    for (const p of this.#idle.get(address) ?? []) void p.socket.close().catch(() => {});
    this.#idle.delete(address);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    await Promise.all(all.map((p) => p.socket.close().catch(() => {})));
  }
}
