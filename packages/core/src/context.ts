// What a handler or subscriber receives besides its message.
import type { Logger } from "./logger.js";
import { Metadata } from "./metadata.js";

export interface Context {
  /** This service's name. */
  readonly service: string;
  /** `Handler.Method` for calls; the topic for events. */
  readonly endpoint: string;
  /** Inbound headers (case-insensitive), plus `Local` and `Remote` socket addresses. */
  readonly metadata: Metadata;
  /** Aborts at the caller's deadline (`Timeout` header), when the caller goes away, or at shutdown. */
  readonly signal: AbortSignal;
  /** Epoch ms after which the caller no longer waits, if it said. */
  readonly deadline?: number;
  /** The service's logger; for a call it adds the call's `endpoint` and `request_id` to each line. */
  readonly logger: Logger;
}

/** Go sends the per-attempt timeout as decimal nanoseconds. */
export function deadlineFromHeader(timeout: string | undefined, now = Date.now()): number | undefined {
  if (!timeout) return undefined;
  // a client sends the same Timeout on every call: parse each distinct text once
  let ms: number;
  if (timeout === lastTimeout) ms = lastMs;
  else {
    const ns = Number(timeout);
    ms = Number.isFinite(ns) && ns > 0 ? ns / 1e6 : -1;
    lastTimeout = timeout;
    lastMs = ms;
  }
  return ms < 0 ? undefined : now + ms;
}

let lastTimeout = "";
let lastMs = -1;

export function emptyContext(service: string, endpoint: string, logger: Logger): Context {
  return { service, endpoint, metadata: new Metadata(), signal: new AbortController().signal, logger };
}
