// An optional speed-up a transport may offer, kept out of the Socket interface users implement:
// recv() with callbacks instead of a promise, for callers that settle a promise of their own anyway
// (the RPC client's attempt), which saves a promise and an event-loop turn per message.
import type { DialOptions, Socket, TransportMessage } from "./transport.js";

export interface CallbackSocket extends Socket {
  /** Exactly one of the two is called, possibly before this returns. */
  recvInto(resolve: (m: TransportMessage) => void, reject: (e: unknown) => void): void;
}

export function hasRecvInto(socket: Socket): socket is CallbackSocket {
  return typeof (socket as Partial<CallbackSocket>).recvInto === "function";
}

/**
 * A transport on which a client sees the server closing the connection (recv() rejects with EOF),
 * as on go-micro's TCP-based http transport. A stream half-closed towards a go-micro server ends
 * only that way, so the client relies on it where the transport says so.
 */
export interface CloseVisibleTransport {
  readonly closeVisible: true;
}

export function showsPeerClose(transport: object): boolean {
  return (transport as Partial<CloseVisibleTransport>).closeVisible === true;
}

/**
 * A socket that can stop holding the process open (Node's `unref`) while it sits idle in the
 * client's connection pool, so a script whose calls are done ends by itself as a Go program does,
 * while a call in flight still keeps it alive.
 */
export interface RefSocket extends Socket {
  ref(): void;
  unref(): void;
}

/** Lets `socket` hold the process open (`true`: a call uses it) or not (`false`: idle), if it can say. */
export function holdProcess(socket: Socket, hold: boolean): void {
  const s = socket as Partial<RefSocket>;
  if (hold) s.ref?.();
  else s.unref?.();
}

/**
 * A socket whose shared connection takes no new calls (it is being replaced): still usable for what
 * runs on it, but a pool closes it instead of keeping it for the next call.
 */
export interface RetiringSocket extends Socket {
  readonly retiring: boolean;
}

/** Whether a pool may keep `socket` for another call. */
export function reusable(socket: Socket): boolean {
  return !socket.closed && (socket as Partial<RetiringSocket>).retiring !== true;
}

/**
 * Node metadata key our servers add when their transport can multiplex (value "1"): many calls on
 * one connection, replies matched by id. go-micro never sets it, so a Go node keeps the plain path.
 */
export const MUX_MARKER = "micro-ts-mux";

/**
 * A transport that can carry many sockets on one connection to a peer of ours. `dialMux` returns a
 * socket with the same contract as `dial`'s (one conversation, EOF when either side closes), only
 * sharing the connection; it must only be used towards a node that advertises MUX_MARKER.
 */
export interface MuxTransport {
  dialMux(address: string, options?: MuxDialOptions): Promise<Socket>;
}

export interface MuxDialOptions extends DialOptions {
  /**
   * Connections to spread a node's sockets over (default 1). A node served by N worker processes
   * advertises N (WORKERS_MARKER); each connection is accepted by one worker, so N let all of them work.
   */
  connections?: number;
}

/**
 * Node metadata key a service served by several worker processes (`--server_workers`) adds to its
 * one registry node, with the count as its value (`"4"`): that many processes share the address.
 */
export const WORKERS_MARKER = "micro-ts-workers";

/** The connections a client of ours opens to a multiplexing node: one per worker, at most 64. */
export function muxConnections(metadata: Record<string, string> | undefined): number {
  const n = Number(metadata?.[WORKERS_MARKER]);
  return Number.isInteger(n) && n > 1 ? Math.min(n, 64) : 1;
}

export function canMux(transport: object): transport is MuxTransport {
  return typeof (transport as Partial<MuxTransport>).dialMux === "function";
}

/** Whether calls to `node` may go over the multiplexed path of `transport`. */
export function usesMux(
  transport: object,
  metadata: Record<string, string> | undefined,
): transport is MuxTransport {
  return metadata?.[MUX_MARKER] === "1" && canMux(transport);
}

// Errors a transport raises for a request it knows no handler read: the server closed that socket
// (stream) before reading it, like HTTP/2's REFUSED_STREAM. Trying another node is then as safe as
// after a failed dial, whatever the call's idempotency.
const unprocessed = new WeakSet<object>();

/** Marks `err` as "the request was never read by the server" (see above); returns it. */
export function markUnprocessed<E extends object>(err: E): E {
  unprocessed.add(err);
  return err;
}

export function isUnprocessed(err: unknown): boolean {
  return typeof err === "object" && err !== null && unprocessed.has(err);
}
