// go-micro's registry records as Go's encoding/json writes them (nulls for empty, Go's key order)
// and a tolerant reader (any key case, nulls, unknown keys), for registries that store JSON.
import type { Endpoint, Node, Service, Value } from "../registry.js";
import { goJSON } from "./go-json.js";

function goValue(v: Value | undefined): unknown {
  if (!v) return null;
  return { name: v.name, type: v.type, values: v.values ? v.values.map(goValue) : null };
}

export function toGoEndpoint(e: Endpoint): unknown {
  return {
    request: goValue(e.request),
    response: goValue(e.response),
    metadata: e.metadata ?? null,
    name: e.name,
  };
}

export function toGoNode(n: Node): unknown {
  return { metadata: n.metadata ?? null, id: n.id, address: n.address };
}

/** The object Go's encoding/json would produce for registry.Service, key order included. */
export function toGoService(s: Service): unknown {
  return {
    name: s.name,
    version: s.version,
    metadata: s.metadata ?? null,
    endpoints: s.endpoints ? s.endpoints.map(toGoEndpoint) : null,
    nodes: s.nodes ? s.nodes.map(toGoNode) : null,
  };
}

export function encodeService(s: Service): string {
  return goJSON(toGoService(s));
}

/** A JSON object key the way Go decodes it: exact match first, then case-insensitive. */
export function pick(o: Record<string, unknown>, key: string): unknown {
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strMap(v: unknown, what: string): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (!isObject(v)) throw new TypeError(`${what}: expected an object`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === "string" ? x : String(x);
  return out;
}

function str(v: unknown, what: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v !== "string") throw new TypeError(`${what}: expected a string`);
  return v;
}

export function parseValue(v: unknown, depth = 0): Value | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isObject(v) || depth > 32) throw new TypeError("value: expected an object");
  const values = pick(v, "values");
  const out: Value = { name: str(pick(v, "name"), "value.name"), type: str(pick(v, "type"), "value.type") };
  if (Array.isArray(values)) out.values = values.map((x) => parseValue(x, depth + 1)).filter((x) => !!x);
  return out;
}

export function parseEndpoint(v: unknown): Endpoint {
  if (!isObject(v)) throw new TypeError("endpoint: expected an object");
  const e: Endpoint = {
    name: str(pick(v, "name"), "endpoint.name"),
    metadata: strMap(pick(v, "metadata"), "endpoint.metadata"),
  };
  const req = parseValue(pick(v, "request"));
  const rsp = parseValue(pick(v, "response"));
  if (req) e.request = req;
  if (rsp) e.response = rsp;
  return e;
}

export function parseNode(v: unknown): Node {
  if (!isObject(v)) throw new TypeError("node: expected an object");
  return {
    id: str(pick(v, "id"), "node.id"),
    address: str(pick(v, "address"), "node.address"),
    metadata: strMap(pick(v, "metadata"), "node.metadata"),
  };
}

/** Accepts Go's JSON (nulls, any key case, unknown keys). Throws TypeError on a malformed record. */
export function parseService(input: string | unknown): Service {
  const v = typeof input === "string" ? JSON.parse(input) : input;
  if (!isObject(v)) throw new TypeError("service: expected an object");
  const name = str(pick(v, "name"), "service.name");
  if (!name) throw new TypeError("service: missing name");
  const eps = pick(v, "endpoints");
  const nodes = pick(v, "nodes");
  if (eps !== null && eps !== undefined && !Array.isArray(eps))
    throw new TypeError("service.endpoints: expected an array");
  if (nodes !== null && nodes !== undefined && !Array.isArray(nodes))
    throw new TypeError("service.nodes: expected an array");
  const s: Service = {
    name,
    version: str(pick(v, "version"), "service.version"),
    endpoints: Array.isArray(eps) ? eps.map(parseEndpoint) : [],
    nodes: Array.isArray(nodes) ? nodes.map(parseNode) : [],
  };
  const md = pick(v, "metadata");
  if (md !== null && md !== undefined) s.metadata = strMap(md, "service.metadata");
  return s;
}
