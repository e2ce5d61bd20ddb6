// Publishing one frame, with the errors a caller can act on: too large for the server's
// max_payload (1 MiB by default; the envelope's base64 makes bodies a third bigger), a closed
// connection, or NATS away with the reconnect buffer full. Frames go through the connection's
// outbox (writes batched per event-loop turn, frames kept while NATS is away and sent once it is
// back, as Go's client does; see @micro/nats-connection), so every frame of the transport is
// published here, in order. No confirming round trips: a frame lost with a dying socket is an RPC
// error its caller sees (timeout or EOF), as in Go, and a frame sent twice would be a call made twice.
import { MicroError } from "@micro/core";
import { Outbox } from "@micro/nats-connection";
import type { NatsConnection } from "@nats-io/nats-core";
import { publishError, tooLarge } from "./errors.js";

const outboxes = new WeakMap<NatsConnection, Outbox>();

function outboxOf(nc: NatsConnection): Outbox {
  let outbox = outboxes.get(nc);
  if (!outbox) {
    // a frame lost at hand-over went with its connection: the peers' timeouts and EOFs report it
    outbox = new Outbox(nc, { what: "nats transport" });
    outboxes.set(nc, outbox);
  }
  return outbox;
}

export function publishFrame(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  errorId: string,
  reply?: string,
): void {
  const max = nc.info?.max_payload;
  if (max && data.byteLength > max) throw tooLarge(errorId, data.byteLength, max);
  // the client's own refusal, now rather than at hand-over (subjects were checked at dial and listen)
  if (nc.isClosed()) throw publishError(errorId, subject, new Error("closed connection"));
  try {
    outboxOf(nc).push(subject, data, reply);
  } catch (err) {
    // the reconnect buffer is full: the outbox's 503, with this side's error id
    if (err instanceof MicroError) throw new MicroError(errorId, err.detail, err.code);
    throw err;
  }
}

/** Hands the connection's queued frames to the client now: before a flush, a probe or a drain. */
export function flushFrames(nc: NatsConnection): void {
  outboxes.get(nc)?.flush();
}
