// The sidecar's options and their defaults. A sidecar is a gateway (every GatewayOption applies) with
// the classic routes calling services by their own names, plus what a program in another language
// needs to join the mesh over plain HTTP.
import type { Endpoint } from "@micro/core";
import { splitHostPort } from "@micro/core/plugin-kit";
import type { GatewayOptions } from "../options.js";

/** A program the sidecar registers itself (`--server_name` mode), as a go-micro server would. */
export interface SidecarProgram {
  /** The service name callers use. */
  name: string;
  /** host:port where the program answers go-micro's plain-HTTP calls (`POST /`). */
  address: string;
  /** Default "latest", go-micro's. */
  version?: string;
  /** Polled with GET; a 2xx answer is healthy. Absent: the program counts as always healthy. */
  healthCheckUrl?: string;
  /** ms between re-registrations and health checks (go-micro's `--register_interval`, default 30 s). */
  interval?: number;
  /** ms the registration lives without renewal (go-micro's `--register_ttl`, default 90 s). */
  ttl?: number;
  /** ms a health check may take (default the smaller of 5 s and the interval). */
  healthTimeout?: number;
  /** Node metadata, on top of what tells go-micro clients how to reach the program. */
  metadata?: Record<string, string>;
  /** Advertised endpoints: names ("Greeter.Hello") or full records. */
  endpoints?: (string | Endpoint)[];
}

export interface SidecarOptions extends GatewayOptions {
  program?: SidecarProgram;
  /** Bytes a subscriber may leave unsent before it is dropped (default 4 MiB). */
  maxSubscriberBuffer?: number;
  /** ms between comment lines on an idle event stream, so proxies keep it open (default 15 s). */
  eventsHeartbeat?: number;
}

export interface ResolvedProgram {
  name: string;
  address: string;
  version: string;
  healthCheckUrl: string | undefined;
  interval: number;
  ttl: number;
  healthTimeout: number;
  metadata: Record<string, string>;
  endpoints: Endpoint[];
}

export interface SidecarSettings {
  program: ResolvedProgram | undefined;
  maxSubscriberBuffer: number;
  eventsHeartbeat: number;
}

/** go-micro's server defaults. */
export const DEFAULT_REGISTER_INTERVAL = 30_000;
export const DEFAULT_REGISTER_TTL = 90_000;

export function resolveSidecar(o: SidecarOptions): SidecarSettings {
  return {
    program: o.program ? resolveProgram(o.program) : undefined,
    maxSubscriberBuffer: positive(o.maxSubscriberBuffer, 4 * 1024 * 1024, "maxSubscriberBuffer"),
    eventsHeartbeat: positive(o.eventsHeartbeat, 15_000, "eventsHeartbeat"),
  };
}

function resolveProgram(p: SidecarProgram): ResolvedProgram {
  if (!p.name) throw new Error("sidecar program: a name is required");
  const { host, port } = splitHostPort(p.address ?? "");
  if (!host || !port) throw new Error(`sidecar program ${p.name}: address "${p.address}" is not host:port`);
  const interval = positive(p.interval, DEFAULT_REGISTER_INTERVAL, "program.interval");
  const ttl = positive(p.ttl, DEFAULT_REGISTER_TTL, "program.ttl");
  if (ttl <= interval) {
    // a node would expire between two renewals and flicker in and out of the registry
    throw new Error(
      `sidecar program ${p.name}: ttl (${ttl} ms) must be longer than interval (${interval} ms)`,
    );
  }
  if (p.healthCheckUrl !== undefined) new URL(p.healthCheckUrl);
  return {
    name: p.name,
    address: p.address,
    version: p.version || "latest",
    healthCheckUrl: p.healthCheckUrl || undefined,
    interval,
    ttl,
    healthTimeout: positive(p.healthTimeout, Math.min(5000, interval), "program.healthTimeout"),
    metadata: { ...p.metadata },
    endpoints: (p.endpoints ?? []).map((e) => (typeof e === "string" ? { name: e, metadata: {} } : e)),
  };
}

function positive(v: number | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`sidecar: ${what} must be a positive number, got ${v}`);
  return v;
}
