// Reading Consul's health entries back into go-micro records (go-micro's GetService and its watcher
// share this): version, endpoints and node metadata come from the tags, not from Meta.
import type { Service } from "@micro/core";
import { mergeByVersion } from "@micro/core/plugin-kit";
import { decodeEndpoints, decodeMetadata, decodeVersion } from "./encoding.js";

/** The part of `GET /v1/health/service/<name>` we read. */
export interface HealthEntry {
  Node?: { Node?: string; Address?: string };
  Service: {
    ID: string;
    Service: string;
    Address?: string;
    Port?: number;
    Tags?: string[] | null;
    CreateIndex?: number;
    ModifyIndex?: number;
  };
  Checks?: { Status?: string }[] | null;
}

/** `host:port` like Go's net.JoinHostPort (brackets around IPv6 hosts). */
export function joinHostPort(host: string, port: number | undefined): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${h}:${port ?? 0}`;
}

/** The entries whose checks are all non-critical: Go leaves a node out while any check is critical. */
export function healthyEntries(name: string, entries: readonly HealthEntry[]): HealthEntry[] {
  return entries.filter(
    (e) =>
      e?.Service && e.Service.Service === name && !(e.Checks ?? []).some((c) => c?.Status === "critical"),
  );
}

/** A single-node Service for one entry. */
export function entryService(e: HealthEntry): Service {
  const tags = e.Service.Tags ?? [];
  const address = e.Service.Address || e.Node?.Address || "";
  return {
    name: e.Service.Service,
    version: decodeVersion(tags) ?? "",
    endpoints: decodeEndpoints(tags),
    nodes: [
      { id: e.Service.ID, address: joinHostPort(address, e.Service.Port), metadata: decodeMetadata(tags) },
    ],
  };
}

export function servicesFromEntries(name: string, entries: readonly HealthEntry[]): Service[] {
  return mergeByVersion(healthyEntries(name, entries).map(entryService));
}
