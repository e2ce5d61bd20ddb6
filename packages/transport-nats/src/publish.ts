// Publishing one frame, with the errors a caller can act on: too large for the server's
// max_payload (1 MiB by default; the envelope's base64 makes bodies a third bigger), or a closed
// connection. Frames go through the connection's outbox (writes batched per event-loop turn, see
// @micro/nats-connection), so every frame of the transport is published here, in order.
import { Outbox } from "@micro/nats-connection";
import type { NatsConnection } from "@nats-io/nats-core";
import { publishError, tooLarge } from "./errors.js";

const outboxes = new WeakMap<NatsConnection, Outbox>();

function outboxOf(nc: NatsConnection): Outbox {
  let outbox = outboxes.get(nc);
  if (!outbox) {
    // a frame lost at hand-over went with its connection: the peers' timeouts and EOFs report it
    outbox = new Outbox(nc);
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
  outboxOf(nc).push(subject, data, reply);
}

/** Hands the connection's queued frames to the client now: before a flush, a probe or a drain. */
export function flushFrames(nc: NatsConnection): void {
  outboxes.get(nc)?.flush();
}
