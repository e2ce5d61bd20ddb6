// Copies and merges of registry records, as every registry returns them.
import type { Node, Service } from "../registry.js";

/** A deep copy, so callers can never mutate a registry's own records. */
export function cloneService(s: Service): Service {
  return structuredClone(s);
}

export interface MergeOptions {
  /**
   * Copy the records (default). `false` when they are the caller's own, just decoded from the
   * wire: the copies were a third of the cost of describing 10,000 services.
   */
  copy?: boolean;
}

/** Groups services by version and concatenates their nodes (de-duplicated by node id). */
export function mergeByVersion(services: Iterable<Service>, options: MergeOptions = {}): Service[] {
  const copy = options.copy ?? true;
  const node = copy ? (n: Node): Node => ({ ...n, metadata: { ...n.metadata } }) : (n: Node) => n;
  const byVersion = new Map<string, Service>();
  for (const s of services) {
    const key = `${s.name}\u0000${s.version}`;
    const cur = byVersion.get(key);
    if (!cur) {
      byVersion.set(
        key,
        copy ? { ...cloneService(s), nodes: s.nodes.map(node) } : { ...s, nodes: [...s.nodes] },
      );
      continue;
    }
    for (const n of s.nodes) {
      const i = cur.nodes.findIndex((x) => x.id === n.id);
      if (i >= 0) cur.nodes[i] = node(n);
      else cur.nodes.push(node(n));
    }
    if (s.endpoints.length && !cur.endpoints.length)
      cur.endpoints = copy ? structuredClone(s.endpoints) : s.endpoints;
  }
  return [...byVersion.values()];
}
