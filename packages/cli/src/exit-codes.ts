// Exit codes a script can branch on without parsing messages. Stable: documented in the README.
import { MicroError, MicroErrorCode, PluginError } from "@micro/core";
import { UsageError } from "./args.js";

export const ExitCode = {
  Ok: 0,
  /** The service (or the command) failed: a remote error, a failed publish, an unhealthy node. */
  Failure: 1,
  /** Bad command line: unknown command or flag, malformed JSON, missing argument. */
  Usage: 2,
  /** The service is not in the registry (or has no nodes). */
  NotFound: 3,
  /** Could not reach the registry, broker or node, or the call timed out. */
  Unavailable: 4,
  /** Stopped by Ctrl-C before it finished (128 + SIGINT, as shells report it). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const NOT_FOUND = /^service \S+: not found$|none available|^service \S+ not found$/;

export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof UsageError) return ExitCode.Usage;
  if (err instanceof PluginError)
    return err.code === MicroErrorCode.InvalidOption ? ExitCode.Usage : ExitCode.Failure;
  if (!(err instanceof MicroError)) return networkFailure(err) ? ExitCode.Unavailable : ExitCode.Failure;
  // only errors the client side made up say something about reachability; a service's own 404 or
  // 503 is its answer, and the answer failed
  const local =
    err.id.startsWith("go.micro.client") || err.id === "go.micro.registry" || err.id === "go.micro.broker";
  if (!local) return ExitCode.Failure;
  if (NOT_FOUND.test(err.detail)) return ExitCode.NotFound;
  if (err.code === 499) return ExitCode.Interrupted;
  if (err.id === "go.micro.client.transport" || err.code === 408 || err.code === 503)
    return ExitCode.Unavailable;
  return ExitCode.Failure;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** A socket error from a client library that does not wrap its errors, anywhere in the cause chain. */
function networkFailure(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return networkFailure((err as { cause?: unknown }).cause, depth + 1);
}

export const EXIT_CODE_HELP = `Exit codes:
  0    success
  1    the service or command failed (a remote error, an unhealthy node)
  2    usage error (unknown command or flag, malformed JSON, missing argument)
  3    service not found in the registry
  4    registry, broker or node unreachable, or the call timed out
  130  interrupted (Ctrl-C) before finishing`;
