// One error shape for "etcd could not be reached", so callers (and logs) see which endpoints were
// tried instead of a bare gRPC status line.
import { MicroError } from "@micro/core";

export const ERROR_ID = "go.micro.registry";

export function unavailable(what: string, hosts: readonly string[], cause: unknown): MicroError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MicroError(
    ERROR_ID,
    `etcd registry: ${what} failed: cannot reach etcd at ${hosts.join(", ")} (${reason})`,
    503,
    undefined,
    { cause },
  );
}
