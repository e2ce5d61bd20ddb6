// An optional speed-up a transport may offer, kept out of the Socket interface users implement:
// recv() with callbacks instead of a promise, for callers that settle a promise of their own anyway
// (the RPC client's attempt), which saves a promise and an event-loop turn per message.
import type { Socket, TransportMessage } from "./transport.js";

export interface CallbackSocket extends Socket {
  /** Exactly one of the two is called, possibly before this returns. */
  recvInto(resolve: (m: TransportMessage) => void, reject: (e: unknown) => void): void;
}

export function hasRecvInto(socket: Socket): socket is CallbackSocket {
  return typeof (socket as Partial<CallbackSocket>).recvInto === "function";
}
