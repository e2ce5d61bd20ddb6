// What every benchmark peer module provides: a server started in the server process and a set of
// callers (one per closed-loop caller) built in the client process.
export type Caller = () => Promise<unknown>;

export interface BenchRequest {
  name: string;
}

export interface Peer {
  /** Starts the server on 127.0.0.1 and resolves to its "host:port". */
  serve(): Promise<string>;
  /** Builds `concurrency` callers against the server at `address`, each sending `request`. */
  callers(address: string, concurrency: number, request: BenchRequest): Promise<Caller[]>;
}
