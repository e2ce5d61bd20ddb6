// An in-process transport for testing the RPC layer without sockets.

import {
  type Listener,
  MicroError,
  type Socket,
  type Transport,
  type TransportMessage,
} from "../../src/index.js";
import { AsyncQueue } from "../../src/plugin-kit.js";

class PipeSocket implements Socket {
  peer!: PipeSocket;
  readonly inbox = new AsyncQueue<TransportMessage>();
  closed = false;
  constructor(
    readonly local: string,
    readonly remote: string,
  ) {}
  async send(m: TransportMessage): Promise<void> {
    if (this.closed || this.peer.closed) throw MicroError.internal("go.micro.transport", "EOF");
    this.peer.inbox.push({ header: { ...m.header }, body: m.body });
  }
  async recv(): Promise<TransportMessage> {
    const r = await this.inbox.pull();
    if (r.done) throw MicroError.internal("go.micro.transport", "EOF");
    return r.value;
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.inbox.end();
    this.peer.inbox.end();
    this.peer.closed = true;
  }
}

export class MemoryTransport implements Transport {
  readonly name = "memory";
  readonly listeners = new Map<string, (s: Socket) => void>();
  dials = 0;
  #port = 10000;

  async listen(address: string): Promise<Listener> {
    const addr = address.endsWith(":0") || address === ":0" ? `127.0.0.1:${this.#port++}` : address;
    let handler: ((s: Socket) => void) | undefined;
    this.listeners.set(addr, (s) => handler?.(s));
    return {
      addr: () => addr,
      accept: (h) => {
        handler = h;
      },
      close: async () => {
        this.listeners.delete(addr);
      },
    };
  }

  async dial(address: string): Promise<Socket> {
    this.dials++;
    const accept = this.listeners.get(address);
    if (!accept) throw new Error(`connect ECONNREFUSED ${address}`);
    const a = new PipeSocket("127.0.0.1:1", address);
    const b = new PipeSocket(address, "127.0.0.1:1");
    a.peer = b;
    b.peer = a;
    accept(b);
    return a;
  }
}
