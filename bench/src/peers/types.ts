// What every benchmark peer module provides: a server started in the server process (a unary
// endpoint and a bidi echo endpoint) and, in the client process, unary callers and bidi streams.
export type Caller = () => Promise<unknown>;

export interface BenchRequest {
  name: string;
}

/** One open bidi stream: `send` writes one request; every reply the server echoes calls `onReply`. */
export interface BenchStream {
  send(request: BenchRequest): void | Promise<void>;
  close(): Promise<void>;
}

export interface Peer {
  /** Starts the server on 127.0.0.1 (or its broker's subject) and resolves to its address. */
  serve(): Promise<string>;
  /** Builds `concurrency` callers against the server at `address`, each sending `request`. */
  callers(address: string, concurrency: number, request: BenchRequest): Promise<Caller[]>;
  /** Opens one bidi stream to the server's echo endpoint; absent when the peer has no streams. */
  openStream?(address: string, onReply: () => void): Promise<BenchStream>;
}
