// A NATS status message on a reply subject is the server speaking, not a peer: with headers
// enabled, a request whose subject nobody subscribes to gets "503 no responders" — empty body,
// status in the header. It is not a service record, and it means no answer will come.
import type { Msg } from "@nats-io/nats-core";

export function isStatusReply(msg: Msg): boolean {
  const h = msg.headers;
  return h !== undefined && h.code !== 0 && msg.data.length === 0;
}
