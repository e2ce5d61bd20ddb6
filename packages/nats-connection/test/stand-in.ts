// A NATS connection stand-in for the outbox's keeping and confirming: the protocol handler's
// `connected`/`transport` (what link.ts reads), publishes recorded as text, flushes answered by
// hand, status events and the final close sent on demand.
import type { NatsConnection } from "@nats-io/nats-core";

interface Pong {
  resolve(): void;
  reject(err: Error): void;
}

export function standInClient() {
  const published: string[] = [];
  const protocol = { connected: true, transport: {} as object };
  const pongs: Pong[] = [];
  const listeners: ((type: string) => void)[] = [];
  let closed = false;
  let close: () => void = () => {};
  const closedPromise = new Promise<void>((r) => {
    close = r;
  });
  const status = () => {
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    listeners.push((type) => {
      queue.push(type);
      wake?.();
    });
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length) yield { type: queue.shift()! };
          await new Promise<void>((r) => {
            wake = r;
          });
        }
      },
    };
  };
  const nc = {
    protocol,
    publish(_subject: string, data: Uint8Array) {
      if (closed) throw new Error("closed connection");
      published.push(new TextDecoder().decode(data));
    },
    flush: () => new Promise<void>((resolve, reject) => pongs.push({ resolve, reject })),
    status,
    closed: () => closedPromise,
    isClosed: () => closed,
    isDraining: () => false,
  };
  return {
    nc: nc as unknown as NatsConnection,
    published,
    /** PINGs waiting for their PONG. */
    pings: () => pongs.length,
    /** The server answers the oldest PING. */
    pong: () => pongs.shift()?.resolve(),
    /** The socket dies: nothing is noticed yet but `connected`. */
    disconnect: () => {
      protocol.connected = false;
    },
    /** A new socket: its handshake done, then the "reconnect" status (the client rejects old PINGs at dial). */
    reconnect: () => {
      for (const p of pongs.splice(0)) p.reject(new Error("connection disconnected"));
      protocol.transport = {};
      protocol.connected = true;
      for (const l of listeners) l("reconnect");
    },
    close: () => {
      closed = true;
      protocol.connected = false;
      close();
    },
  };
}

export const bytes = (s: string) => new TextEncoder().encode(s);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
