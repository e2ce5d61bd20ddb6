// How micro errors become HTTP answers. The body is always go-micro's error JSON; the status is the
// error's code, except where the client's own errors name a condition HTTP has a better code for.
import { isMicroError, MicroError } from "@micro/core";

/** The id of errors the gateway raises itself, as go-micro's API gateway names them. */
export const GATEWAY_ID = "go.micro.api";

const NOT_FOUND = /^service .+: not found$|^rpc: can't find (service|method)/;

/** Any thrown value as the MicroError the caller sees. */
export function toGatewayError(err: unknown): MicroError {
  if (!isMicroError(err)) {
    return MicroError.internal(GATEWAY_ID, err instanceof Error ? err.message : String(err));
  }
  // unknown service (the selector) and unknown handler or method (go-micro's router texts, code 0)
  if (NOT_FOUND.test(err.detail) && (err.code === 0 || err.code === 500 || err.code === 404)) {
    return MicroError.notFound(err.id || GATEWAY_ID, err.detail);
  }
  // the node went away, refused or broke the connection: the upstream failed, not the request
  if (err.id === "go.micro.client.transport") return new MicroError(err.id, err.detail, 502);
  return err;
}

/** The HTTP status for a micro error: its code when HTTP has it, else 500. */
export function httpStatus(err: MicroError): number {
  return err.code >= 400 && err.code <= 599 ? err.code : 500;
}
