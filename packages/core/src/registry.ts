// Registry records and the Registry interface. Field names follow go-micro's JSON; the TypeScript
// shapes are normalized (no nulls) and `encodeService` writes Go's exact JSON form.
import { goJSON } from "./errors.js";

export interface Value {
  name: string;
  type: string;
  values?: Value[];
}

export interface Endpoint {
  name: string;
  request?: Value;
  response?: Value;
  metadata: Record<string, string>;
}

export interface Node {
  id: string;
  /** host:port */
  address: string;
  metadata: Record<string, string>;
}

export interface Service {
  name: string;
  version: string;
  metadata?: Record<string, string>;
  endpoints: Endpoint[];
  nodes: Node[];
}

export type RegistryAction = "create" | "update" | "delete";

export interface RegistryEvent {
  action: RegistryAction;
  service: Service;
}

export interface Watcher extends AsyncIterable<RegistryEvent> {
  /** The next event; rejects once the watcher is stopped. */
  next(): Promise<RegistryEvent>;
  stop(): void;
}

export interface RegisterOptions {
  /** How long the entry lives without re-registration, in ms. 0 or absent: until deregistered. */
  ttl?: number;
}

export interface WatchOptions {
  /** Only events of this service. */
  service?: string;
}

export interface Registry {
  /** The name go-micro puts in node metadata (`registry: mdns`). */
  readonly name: string;
  register(service: Service, options?: RegisterOptions): Promise<void>;
  deregister(service: Service): Promise<void>;
  /** One Service per version, each with all its nodes; empty when the service is unknown. */
  getService(name: string): Promise<Service[]>;
  /** Every service; registries that only know names return services with just `name` set. */
  listServices(): Promise<Service[]>;
  watch(options?: WatchOptions): Watcher;
  /** Releases sockets, leases and timers. */
  close(): Promise<void>;
}

// ---- Go JSON form -------------------------------------------------------------------------------

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

/** A deep copy, so callers can never mutate a registry's own records. */
export function cloneService(s: Service): Service {
  return structuredClone(s);
}

/** Groups services by version and concatenates their nodes (de-duplicated by node id). */
export function mergeByVersion(services: Iterable<Service>): Service[] {
  const byVersion = new Map<string, Service>();
  for (const s of services) {
    const key = `${s.name}\u0000${s.version}`;
    const cur = byVersion.get(key);
    if (!cur) {
      byVersion.set(key, {
        ...cloneService(s),
        nodes: [...s.nodes.map((n) => ({ ...n, metadata: { ...n.metadata } }))],
      });
      continue;
    }
    for (const n of s.nodes) {
      const i = cur.nodes.findIndex((x) => x.id === n.id);
      if (i >= 0) cur.nodes[i] = { ...n, metadata: { ...n.metadata } };
      else cur.nodes.push({ ...n, metadata: { ...n.metadata } });
    }
    if (s.endpoints.length && !cur.endpoints.length) cur.endpoints = structuredClone(s.endpoints);
  }
  return [...byVersion.values()];
}
