// The MicroErrors a socket rejects with. Ids follow go-micro: the client side reports
// `go.micro.client.transport` (what a Go client surfaces), the server side `go.micro.transport`.
import { MicroError } from "@micro/core";

export const SERVER_ERROR_ID = "go.micro.transport";
export const CLIENT_ERROR_ID = "go.micro.client.transport";

/** A frame we refuse to parse; `code` is the HTTP status the server answers it with (400 or 413). */
export class FrameError extends Error {
  constructor(
    readonly code: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = "FrameError";
  }
}

export const malformed = (what: string) => new FrameError(400, what);
export const tooLarge = (what: string) => new FrameError(413, what);

export function eofError(id: string, midMessage: boolean): MicroError {
  return MicroError.internal(id, midMessage ? "unexpected EOF" : "EOF");
}

export function frameError(id: string, err: FrameError): MicroError {
  const prefix = err.code === 413 ? "frame too large" : "malformed frame";
  return new MicroError(id, `${prefix}: ${err.message}`, err.code);
}

export function timeoutError(id: string): MicroError {
  return MicroError.timeout(id, "i/o timeout");
}
