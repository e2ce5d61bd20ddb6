// Reading what a program sends to /registry: go-micro's registry.Service JSON (any key case, nulls
// allowed, as Go's encoding/json reads it) plus an optional `ttl`, and the checks that keep a
// record nobody could call out of the registry.
import { MicroError, type Service } from "@micro/core";
import { parseDuration, parseService } from "@micro/core/plugin-kit";
import { GATEWAY_ID } from "../http/errors.js";

export interface Registration {
  service: Service;
  /** ms; undefined: no TTL (the node stays until it is deregistered). */
  ttl: number | undefined;
}

function badRequest(detail: string): MicroError {
  return MicroError.badRequest(GATEWAY_ID, detail);
}

export function parseJsonObject(raw: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw badRequest(`bad JSON in request body: ${(err as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw badRequest("the body must be a JSON object: go-micro's registry.Service");
  }
  return v as Record<string, unknown>;
}

/** The service of a body; `needAddress` for registering (deregistering needs node ids only). */
export function serviceOf(body: Record<string, unknown>, needAddress: boolean): Service {
  let service: Service;
  try {
    service = parseService(body);
  } catch (err) {
    throw badRequest(`bad registry record: ${(err as Error).message}`);
  }
  if (service.nodes.length === 0) throw badRequest(`service ${service.name}: no nodes`);
  service.nodes.forEach((node, i) => {
    if (!node.id) throw badRequest(`service ${service.name}: nodes[${i}] has no id`);
    if (needAddress && !/^(\[[^\]]+\]|[^:\s]+):\d{1,5}$/.test(node.address)) {
      throw badRequest(
        `service ${service.name}: node ${node.id} needs an address host:port, got "${node.address}"`,
      );
    }
  });
  return service;
}

/**
 * The TTL of a registration: `?ttl=` wins over the body's `ttl`; a bare number is seconds (go-micro's
 * `--register_ttl=30`), a string may carry a unit ("30s", "1m30s"); 0 means none.
 */
export function ttlOf(query: string | null, body: unknown): number | undefined {
  const given = query ?? body;
  if (given === null || given === undefined || given === "") return undefined;
  if (typeof given !== "string" && typeof given !== "number")
    throw badRequest("ttl: a number of seconds or a duration");
  let ms: number;
  try {
    ms = parseDuration(given, "s");
  } catch {
    throw badRequest(`ttl: "${given}" is not a duration (30, 30s, 1m)`);
  }
  if (!Number.isFinite(ms) || ms < 0) throw badRequest(`ttl: "${given}" is not a duration (30, 30s, 1m)`);
  return ms === 0 ? undefined : ms;
}
