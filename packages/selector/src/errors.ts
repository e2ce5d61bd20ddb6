// The errors a Go client reports for the same situations, so callers can match on their text.
import { MicroError } from "@micro/core";

const ID = "go.micro.client";

export function notFound(service: string): MicroError {
  return MicroError.internal(ID, `service ${service}: not found`);
}

export function noneAvailable(service: string): MicroError {
  return MicroError.internal(ID, `error selecting ${service} node: none available`);
}

export function selectFailed(service: string, cause: unknown): MicroError {
  const reason =
    cause instanceof MicroError ? cause.detail : cause instanceof Error ? cause.message : String(cause);
  return new MicroError(ID, `error selecting ${service} node: ${reason}`, 500, undefined, { cause });
}
