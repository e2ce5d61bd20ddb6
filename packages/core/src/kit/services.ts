// Copies and merges of registry records, as every registry returns them.
import type { Service } from "../registry.js";

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
