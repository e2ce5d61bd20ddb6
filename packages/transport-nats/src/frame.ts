// One transport message on NATS: go-micro's JSON envelope {"Header":{...},"Body":"<base64>"} as
// the payload, no NATS headers. Go's NATS transport has no close message; ours is an envelope a Go
// server already handles quietly: an EOS for a stream it does not know, which makes it close the
// connection (rpc_server.go ServeConn), with a stream id no go-micro client generates (they use
// UUIDs), so it cannot be mistaken for the end of a real stream.
import type { TransportMessage } from "@micro/core";
import { decodeEnvelopeBytes, encodeEnvelopeBytes } from "@micro/core/plugin-kit";

export const CLOSE_STREAM = "micro.nats.close";

/**
 * Dialing sends a close frame with reply-to `<client inbox><DIAL_SUFFIX>`: a Go listener opens and
 * quietly closes a socket for it; ours accepts the client's socket right away, as a TCP accept would.
 */
export const DIAL_SUFFIX = ".dial";

const CLOSE_FRAME = encodeEnvelopeBytes({
  header: { Connection: "close", "Micro-Error": "EOS", "Micro-Stream": CLOSE_STREAM },
  body: new Uint8Array(0),
});

export const closeFrame = (): Uint8Array => CLOSE_FRAME;

export function encodeFrame(message: TransportMessage): Uint8Array {
  return encodeEnvelopeBytes(message);
}

/** Whether a frame with this header is our close frame. */
export const isCloseHeader = (header: Record<string, string>): boolean =>
  header["Micro-Stream"] === CLOSE_STREAM && header["Micro-Error"] === "EOS";

/** The message, or "close" for our close frame. Throws EnvelopeError on anything else. */
export function decodeFrame(data: Uint8Array): TransportMessage | "close" {
  const m = decodeEnvelopeBytes(data);
  return isCloseHeader(m.header) ? "close" : m;
}
