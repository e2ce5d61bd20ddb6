// Tool names. MCP (2025-11-25, "Tool names") allows 1–128 characters of A-Z a-z 0-9 _ - . and some
// clients refuse anything else, so a name must be valid, the same for the same endpoint every time
// (agents remember tools by name), and unique in one list.
//
// The rule: go-micro's own form `service.Endpoint` (`greeter.Greeter.Hello`) whenever it is valid and
// no other endpoint in the list has it. Otherwise (a character outside the set, too long, or two
// endpoints spelling the same string, such as `a.b` + `C.D` and `a` + `b.C.D`) every such endpoint
// gets the sanitized form plus a hash of its service and endpoint: `my_svc.Greeter.Hello-3f9a1c2e`.
// The hash depends on nothing but the endpoint itself, so no registry order or other service can move
// a name.
import { createHash } from "node:crypto";

export const TOOL_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const MAX = 128;
const HASH_CHARS = 8;

/** go-micro's tool name for an endpoint, valid or not. */
export function plainName(service: string, endpoint: string): string {
  return `${service}.${endpoint}`;
}

/** The sanitized, hashed name: always valid, distinct per (service, endpoint). */
export function hashedName(service: string, endpoint: string): string {
  const hash = createHash("sha256").update(`${service}\0${endpoint}`).digest("hex").slice(0, HASH_CHARS);
  const base = plainName(service, endpoint)
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(0, MAX - HASH_CHARS - 1);
  return `${base}-${hash}`;
}

export interface Named {
  service: string;
  endpoint: string;
}

/** One name per endpoint of `all`, by the rule above; the map is keyed by `service\0endpoint`. */
export function assignNames(all: readonly Named[]): Map<string, string> {
  const claims = new Map<string, number>();
  for (const e of all) {
    const n = plainName(e.service, e.endpoint);
    claims.set(n, (claims.get(n) ?? 0) + 1);
  }
  const out = new Map<string, string>();
  for (const e of all) {
    const n = plainName(e.service, e.endpoint);
    const ok = TOOL_NAME.test(n) && claims.get(n) === 1;
    out.set(keyOf(e), ok ? n : hashedName(e.service, e.endpoint));
  }
  return out;
}

export function keyOf(e: Named): string {
  return `${e.service}\0${e.endpoint}`;
}
