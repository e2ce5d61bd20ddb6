// The dashboard's options and their defaults, each default in this one place.
import type { BrokerRoutesOptions } from "@micro/gateway";

export interface DashboardOptions {
  /** In the header and every page title (default "Micro"). */
  title?: string;
  /**
   * Mount the gateway's broker routes (`POST /broker/{topic}`, `GET /broker/{topic}` subscribe), which
   * the topics page uses (default on). Pass false when the gateway has them already (a sidecar).
   */
  broker?: boolean | BrokerRoutesOptions;
  /** Live registry streams (one per open home page) at once; more get 503 (default 32). */
  maxEventStreams?: number;
  /** ms between keep-alive comments on an idle live stream, so proxies keep it open (default 15 000). */
  eventsHeartbeat?: number;
  /** ms registry events are gathered before the rows they touch are looked up again (default 150). */
  eventsDebounce?: number;
}

export interface ResolvedDashboardOptions {
  title: string;
  broker: BrokerRoutesOptions | undefined;
  maxEventStreams: number;
  eventsHeartbeat: number;
  eventsDebounce: number;
}

export function resolveDashboard(o: DashboardOptions = {}): ResolvedDashboardOptions {
  return {
    title: o.title || "Micro",
    broker: o.broker === false ? undefined : o.broker === true || !o.broker ? {} : o.broker,
    maxEventStreams: positive(o.maxEventStreams, 32, "maxEventStreams"),
    eventsHeartbeat: positive(o.eventsHeartbeat, 15_000, "eventsHeartbeat"),
    eventsDebounce: o.eventsDebounce ?? 150,
  };
}

function positive(v: number | undefined, fallback: number, what: string): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0)
    throw new Error(`dashboard: ${what} must be a positive number, got ${v}`);
  return v;
}
