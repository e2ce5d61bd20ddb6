// One error shape for a failed etcd call, so callers (and logs) see which endpoints were tried
// instead of a bare gRPC status line. An answer over the client's message limit is not "etcd is
// down": it gets its own detail and a non-retryable code, so nobody downloads it again and again.
import { MicroError } from "@micro/core";
import { GRPCResourceExhastedError } from "etcd3";

export const ERROR_ID = "go.micro.registry";

/** gRPC's RESOURCE_EXHAUSTED: here, an answer larger than the client's 4 MiB receive limit. */
export function isTooLarge(err: unknown): boolean {
  return err instanceof GRPCResourceExhastedError || /larger than max/i.test(String((err as Error)?.message));
}

export function unavailable(what: string, hosts: readonly string[], cause: unknown): MicroError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (isTooLarge(cause))
    return new MicroError(
      ERROR_ID,
      `etcd registry: ${what} failed: etcd's answer from ${hosts.join(", ")} is larger than the client's message limit (${reason})`,
      500,
      undefined,
      { cause },
    );
  return new MicroError(
    ERROR_ID,
    `etcd registry: ${what} failed: cannot reach etcd at ${hosts.join(", ")} (${reason})`,
    503,
    undefined,
    { cause },
  );
}
