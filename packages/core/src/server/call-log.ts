// What the server says about the calls it serves: each call at debug (endpoint, request id,
// duration, status), an unexpected handler error at error with its stack, and a handler that
// finished after its caller stopped waiting at warn.
import { randomBytes } from "node:crypto";
import { MicroError } from "../errors.js";
import { type Logger, logWith } from "../logger.js";

/** The request id a caller sent (`Micro-Id`: go-micro's per-client sequence number). */
export function requestIdOf(header: Record<string, string>): string | undefined {
  return header["Micro-Id"];
}

/**
 * A handler's error as the caller receives it. A MicroError was thrown on purpose and passes as it
 * is. Anything else is logged at error level with the stack; with `hide` (--server_hide_errors) the
 * caller gets a generic 500 naming the request and the log line's `ref` instead of the message.
 */
export function handlerFailure(
  logger: Logger,
  err: unknown,
  endpoint: string,
  requestId: string | undefined,
  hide: boolean,
): unknown {
  if (err instanceof MicroError) return err;
  const ref = randomBytes(4).toString("hex");
  const message = err instanceof Error ? err.message : String(err);
  logWith(logger, "error", `${endpoint} failed: ${message}`, {
    endpoint,
    request_id: requestId,
    ref,
    error: message,
    stack: err instanceof Error ? err.stack : undefined,
  });
  if (!hide) return err;
  const request = requestId === undefined ? "" : `request ${requestId}, `;
  return MicroError.internal("go.micro.server", `internal server error (${request}ref ${ref})`);
}

/** The debug line of one handled call; `started` is from performance.now(). */
export function logCall(
  logger: Logger,
  endpoint: string,
  requestId: string | undefined,
  started: number,
  err?: unknown,
): void {
  const e = err === undefined ? undefined : MicroError.from(err);
  logWith(logger, "debug", e ? `${endpoint} failed` : `${endpoint} served`, {
    endpoint,
    request_id: requestId,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    status: e ? e.code || 500 : 200,
    error: e?.detail,
  });
}

/**
 * Warns when a handler finished after its caller's deadline (the `Timeout` header): the caller had
 * given up, and may have retried it. A handler that ended by throwing its signal's reason stopped
 * when told to and is not reported.
 */
export function logLate(
  logger: Logger,
  endpoint: string,
  requestId: string | undefined,
  deadline: number | undefined,
): void {
  if (deadline === undefined) return;
  const late = Date.now() - deadline;
  if (late <= 0) return;
  logWith(
    logger,
    "warn",
    `${endpoint} finished ${late} ms after its caller's deadline: the caller had given up (a 408 is retried); stop at ctx.signal`,
    { endpoint, request_id: requestId, late_ms: late },
  );
}
