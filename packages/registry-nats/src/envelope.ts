// The messages of go-micro's NATS registry. Go marshals registry.Result, whose fields have no json
// tags, so the envelope keys are "Service" and "Action" while the service inside uses the registry
// JSON (lowercase keys). Go decodes keys case-insensitively; so do we.
import type { Service } from "@micro/core";
import { goJSON, parseService, toGoService } from "@micro/core/plugin-kit";

export type WireAction = "create" | "update" | "delete" | "get" | "list";

export interface Envelope {
  action: string;
  /** Absent for "list" queries (`"Service":null`). */
  service?: Service;
}

/** `{"Service":<go service>,"Action":"create"}` — a watch event. */
export function encodeEvent(action: WireAction, service: Service): string {
  return goJSON({ Service: toGoService(service), Action: action });
}

/** The exact query Go sends: a Service with only its name set, everything else zero. */
export function encodeGetQuery(name: string): string {
  return goJSON({
    Service: { name, version: "", metadata: null, endpoints: null, nodes: null },
    Action: "get",
  });
}

export function encodeListQuery(): string {
  return goJSON({ Service: null, Action: "list" });
}

function field(o: Record<string, unknown>, key: string): unknown {
  if (key in o) return o[key];
  for (const k of Object.keys(o)) if (k.toLowerCase() === key.toLowerCase()) return o[k];
  return undefined;
}

/** Parses an envelope; throws on malformed JSON or a malformed service. */
export function parseEnvelope(data: string): Envelope {
  const v = JSON.parse(data) as unknown;
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new TypeError("envelope: expected an object");
  const o = v as Record<string, unknown>;
  const action = field(o, "Action");
  const raw = field(o, "Service");
  const out: Envelope = { action: typeof action === "string" ? action : "" };
  if (raw !== null && raw !== undefined) out.service = parseService(raw);
  return out;
}
