import { MicroError } from "../errors.js";

const dialFailures = new WeakSet<MicroError>();

/** A failure to connect: the request never left, so trying another node is always safe. */
export function dialError(address: string, cause: unknown): MicroError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  const err = new MicroError(
    "go.micro.client.transport",
    `connection error: ${address}: ${msg}`,
    500,
    undefined,
    {
      cause,
    },
  );
  dialFailures.add(err);
  return err;
}

/** A dial that timed out (the transport's 408): kept as it is, and known as a failed dial. */
export function dialTimedOut(err: MicroError): MicroError {
  dialFailures.add(err);
  return err;
}

/** A request the server's transport says no handler read (REFUSED): as safe to retry as a failed dial. */
export function notProcessed(err: MicroError): MicroError {
  dialFailures.add(err);
  return err;
}

export function isDialError(err: unknown): boolean {
  return err instanceof MicroError && dialFailures.has(err);
}

const lostConnections = new WeakSet<MicroError>();
// What the transports say when the peer's end of a connection went away mid-exchange: go-micro's
// texts (the http transport's EOF / unexpected EOF) and Node's socket error codes.
const LOST_TEXT = /^(unexpected )?EOF$|connection reset|broken pipe|socket hang up/i;
const LOST_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/**
 * Marks `err`, thrown by the transport during an attempt (not parsed from a reply), when it says the
 * connection broke: the request may have reached the node, and its answer will never come.
 */
export function noteLostConnection(err: MicroError): MicroError {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  if (LOST_TEXT.test(err.detail) || (typeof code === "string" && LOST_CODES.has(code)))
    lostConnections.add(err);
  return err;
}

/** A connection that broke after the request may have left (see noteLostConnection). */
export function isLostConnection(err: unknown): boolean {
  return err instanceof MicroError && lostConnections.has(err);
}

/** go-micro's RetryOnError (408 only), plus failed dials. */
export function retryOnError(err: unknown): boolean {
  if (isDialError(err)) return true;
  return err instanceof MicroError && err.code === 408;
}

export function callTimeout(detail = "call timeout: context deadline exceeded"): MicroError {
  return MicroError.timeout("go.micro.client", detail);
}

export function transportError(err: unknown): MicroError {
  if (err instanceof MicroError) {
    return err.id === "go.micro.client.transport"
      ? err
      : new MicroError("go.micro.client.transport", err.detail, err.code || 500, undefined, { cause: err });
  }
  return new MicroError(
    "go.micro.client.transport",
    err instanceof Error ? err.message : String(err),
    500,
    undefined,
    {
      cause: err,
    },
  );
}
