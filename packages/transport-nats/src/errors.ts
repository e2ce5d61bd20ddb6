// The MicroErrors a socket rejects with. Ids follow go-micro and @micro/transport-http: the client
// side reports `go.micro.client.transport`, the server side `go.micro.transport`.
import { MicroError } from "@micro/core";

export const SERVER_ERROR_ID = "go.micro.transport";
export const CLIENT_ERROR_ID = "go.micro.client.transport";

/** The peer closed (or we did): what `recv()` rejects with, as Go's io.EOF. */
export const eofError = (id: string) => MicroError.internal(id, "EOF");

/** No subscriber on the subject: nothing listens at that address. */
export const noListener = (subject: string) =>
  MicroError.unavailable(CLIENT_ERROR_ID, `nats transport: nobody listens on subject "${subject}"`);

export function tooLarge(id: string, size: number, max: number): MicroError {
  return MicroError.tooLarge(
    id,
    `nats transport: message of ${size} bytes (JSON envelope) exceeds the server's max_payload of ${max} bytes`,
  );
}

export function publishError(id: string, subject: string, err: unknown): MicroError {
  return MicroError.internal(id, `nats transport: publish to ${subject}: ${(err as Error).message ?? err}`);
}
