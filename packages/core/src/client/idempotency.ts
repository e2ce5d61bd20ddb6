// Whether a call may run twice. go-micro retries 408s, so a slow handler can run once per attempt;
// a call marked not idempotent (CallOptions.idempotent, or the endpoint's registry metadata
// `idempotent: "false"`) is retried only when its request never left (a failed dial).
import { type Logger, logWith } from "../logger.js";
import type { Node, Service } from "../registry.js";
import type { Filter, SelectOptions } from "../selector.js";
import { isDialError } from "./errors.js";

/** The endpoint metadata key a server sets to say a method must not be retried. */
export const IDEMPOTENT_KEY = "idempotent";

// The endpoints each service record marks not idempotent, found once per record: the selector hands
// the same record objects to every call until the registry changes them, and this runs per call.
const notIdempotentOf = new WeakMap<Service, ReadonlySet<string>>();

function notIdempotentEndpoints(service: Service): ReadonlySet<string> {
  let names = notIdempotentOf.get(service);
  if (!names) {
    names = new Set(
      (service.endpoints ?? []).filter((e) => e.metadata?.[IDEMPOTENT_KEY] === "false").map((e) => e.name),
    );
    notIdempotentOf.set(service, names);
  }
  return names;
}

/** Whether any version of the service advertises `endpoint` with `idempotent: "false"`. */
export function advertisedNotIdempotent(services: readonly Service[], endpoint: string): boolean {
  return services.some((s) => notIdempotentEndpoints(s).has(endpoint));
}

/**
 * Select options with one more filter that reads (and keeps) the services the selector chose from,
 * so the endpoint's registry metadata is known without another lookup. Selectors that apply
 * filters (the registry selector does) report it; others leave the call idempotent, as go-micro.
 */
export function observeEndpoint(
  select: SelectOptions | undefined,
  endpoint: string,
  notIdempotent: () => void,
): SelectOptions {
  const observe: Filter = (services) => {
    if (advertisedNotIdempotent(services, endpoint)) notIdempotent();
    return services;
  };
  return { ...select, filters: [...(select?.filters ?? []), observe] };
}

/** A retry the rules allow that idempotency forbids: anything but a failed dial. */
export function blockedRetry(idempotent: boolean | undefined, err: unknown): boolean {
  return idempotent === false && !isDialError(err);
}

/** Says why another attempt follows: a timed-out attempt may still be running on the server. */
export function logRetry(
  logger: Logger,
  err: unknown,
  call: { service: string; endpoint: string; node: Node; attempt: number; retries: number; timeout: number },
): void {
  const timedOut = !isDialError(err) && (err as { code?: unknown })?.code === 408;
  const what = timedOut
    ? `timed out after ${call.timeout} ms; retrying (the server may still be running it)`
    : `failed (${err instanceof Error ? err.message : String(err)}); retrying`;
  logWith(
    logger,
    timedOut ? "warn" : "debug",
    `${call.service} ${call.endpoint}: attempt ${call.attempt + 1} of ${call.retries + 1} to ${call.node.address} ${what}`,
    // `target`, not `service`: that field names the service doing the logging
    {
      target: call.service,
      endpoint: call.endpoint,
      target_node: call.node.address,
      attempt: call.attempt + 1,
      timeout_ms: call.timeout,
    },
  );
}
