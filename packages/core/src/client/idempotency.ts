// Whether a call may run twice. go-micro retries 408s, so a slow handler can run once per attempt;
// a call marked not idempotent (CallOptions.idempotent, or the endpoint's registry metadata
// `idempotent: "false"`) is retried only when its request never left (a failed dial). A call marked
// idempotent (`true`, in the options or the metadata) is also retried when the connection broke
// after the request left (a node dying mid-call: EOF, reset), which go-micro never retries.
import { type Logger, logWith } from "../logger.js";
import type { Node, Service } from "../registry.js";
import type { Filter, SelectOptions } from "../selector.js";
import { isDialError, isLostConnection } from "./errors.js";

/** The endpoint metadata key a server sets to say whether a method may run twice ("true"/"false"). */
export const IDEMPOTENT_KEY = "idempotent";

interface Marked {
  /** Endpoints advertised `idempotent: "false"`. */
  no: ReadonlySet<string>;
  /** Endpoints advertised `idempotent: "true"`. */
  yes: ReadonlySet<string>;
}

// The endpoints each service record marks, found once per record: the selector hands the same
// record objects to every call until the registry changes them, and this runs per call.
const markedOf = new WeakMap<Service, Marked>();

function marked(service: Service): Marked {
  let m = markedOf.get(service);
  if (!m) {
    const eps = service.endpoints ?? [];
    const named = (v: string) =>
      new Set(eps.filter((e) => e.metadata?.[IDEMPOTENT_KEY] === v).map((e) => e.name));
    m = { no: named("false"), yes: named("true") };
    markedOf.set(service, m);
  }
  return m;
}

/**
 * What the service's versions advertise for `endpoint`: false if any says "false"; true if every
 * version that lists the endpoint says "true" (any node may be picked, so all must agree); else
 * undefined (nothing said: go-micro's rules).
 */
export function advertisedIdempotency(services: readonly Service[], endpoint: string): boolean | undefined {
  let listed = false;
  let allYes = true;
  for (const s of services) {
    const m = marked(s);
    if (m.no.has(endpoint)) return false;
    if (m.yes.has(endpoint)) listed = true;
    else if (s.endpoints?.some((e) => e.name === endpoint)) allYes = false;
  }
  return listed && allYes ? true : undefined;
}

/**
 * Select options with one more filter that reads (and keeps) the services the selector chose from,
 * so the endpoint's registry metadata is known without another lookup. Selectors that apply
 * filters (the registry selector does) report it; others leave the call to go-micro's rules.
 */
export function observeEndpoint(
  select: SelectOptions | undefined,
  endpoint: string,
  advertised: (idempotent: boolean) => void,
): SelectOptions {
  const observe: Filter = (services) => {
    const idempotent = advertisedIdempotency(services, endpoint);
    if (idempotent !== undefined) advertised(idempotent);
    return services;
  };
  return { ...select, filters: [...(select?.filters ?? []), observe] };
}

/** A retry go-micro's rules do not make that idempotency allows: the connection broke mid-call. */
export function retryAfterLoss(idempotent: boolean | undefined, err: unknown): boolean {
  return idempotent === true && isLostConnection(err);
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
  const lost = isLostConnection(err);
  const what = timedOut
    ? `timed out after ${call.timeout} ms; retrying (the server may still be running it)`
    : lost
      ? `lost its connection (${(err as Error).message}); retrying elsewhere, as the call is idempotent (it may have run there)`
      : `failed (${err instanceof Error ? err.message : String(err)}); retrying`;
  logWith(
    logger,
    timedOut || lost ? "warn" : "debug",
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
