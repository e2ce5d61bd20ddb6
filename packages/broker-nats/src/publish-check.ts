// What the NATS client would refuse, checked before a message enters the outbox, so publish() still
// rejects at once for a closed connection, a bad subject or an oversized payload.
import { MicroError } from "@micro/core";
import type { NatsConnection } from "@nats-io/nats-core";

const WHITESPACE = /\s/;

export function checkPublish(
  nc: NatsConnection,
  errorId: string,
  subject: string,
  payload: Uint8Array,
): void {
  if (nc.isClosed() || nc.isDraining()) {
    throw new MicroError(errorId, "nats broker: publish on a closed connection", 503);
  }
  if (!subject || WHITESPACE.test(subject)) {
    throw MicroError.badRequest(errorId, `nats broker: invalid subject "${subject}"`);
  }
  const max = nc.info?.max_payload;
  if (max !== undefined && payload.byteLength > max) {
    throw MicroError.badRequest(
      errorId,
      `nats broker: message of ${payload.byteLength} bytes exceeds the server's max_payload (${max})`,
    );
  }
}
