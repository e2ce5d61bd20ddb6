// Which connection to the server the NATS client is on right now, if any. Its status events say
// so too, but late (through an async iterator): between a socket dying and "disconnect" reaching
// us, and between a new socket's handshake and "reconnect", a message would be handed to a client
// that is about to empty its buffer (it does on every dial), or be counted as sent on the wrong
// socket. The client's protocol handler knows at once: `connected` is set after the handshake and
// cleared when the socket closes, and `transport` is a new object per dial. These are fields of
// @nats-io/nats-core 3.4.0's ProtocolHandler (the version is pinned; a test checks them).
import type { NatsConnection } from "@nats-io/nats-core";

interface ProtocolView {
  connected?: unknown;
  transport?: unknown;
}

/** The link of a stand-in connection without a protocol handler (unit tests): always connected. */
const ALWAYS: object = Object.freeze({});

/** The client's current socket as an opaque token, or undefined while it is not connected. */
export function currentLink(nc: NatsConnection): object | undefined {
  const p = (nc as { protocol?: ProtocolView }).protocol;
  if (p === undefined) return ALWAYS;
  const t = p.transport;
  return p.connected === true && typeof t === "object" && t !== null ? t : undefined;
}

/** Whether `nc` exposes what currentLink reads (false for a stand-in, or a client that changed). */
export function tracksLink(nc: NatsConnection): boolean {
  const p = (nc as { protocol?: ProtocolView }).protocol;
  return p !== undefined && typeof p.connected === "boolean" && "transport" in p;
}
