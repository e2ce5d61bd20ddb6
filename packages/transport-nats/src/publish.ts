// Publishing one frame, with the errors a caller can act on: too large for the server's
// max_payload (1 MiB by default; the envelope's base64 makes bodies a third bigger), or a closed
// connection.
import type { NatsConnection } from "@nats-io/nats-core";
import { publishError, tooLarge } from "./errors.js";

export function publishFrame(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  errorId: string,
  reply?: string,
): void {
  const max = nc.info?.max_payload;
  if (max && data.byteLength > max) throw tooLarge(errorId, data.byteLength, max);
  try {
    nc.publish(subject, data, reply ? { reply } : undefined);
  } catch (err) {
    throw publishError(errorId, subject, err);
  }
}
