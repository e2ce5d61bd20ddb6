// Applies one registry watch event to a cached list of versions, copy-on-write: a list already
// handed out (a selector's Next, a publish in progress) keeps what it was.
import type { Node, RegistryEvent, Service } from "@micro/core";

function upsertNodes(current: Node[], incoming: Node[]): Node[] {
  const byId = new Map(current.map((n) => [n.id, n]));
  for (const n of incoming) byId.set(n.id, structuredClone(n));
  return [...byId.values()];
}

export function applyEvent(services: Service[], event: RegistryEvent): Service[] {
  const changed = event.service;
  const i = services.findIndex((s) => s.version === changed.version);
  const current = i >= 0 ? services[i] : undefined;
  const out = [...services];
  if (event.action === "delete") {
    if (!current) return services;
    const gone = new Set(changed.nodes.map((n) => n.id));
    const nodes = current.nodes.filter((n) => !gone.has(n.id));
    if (nodes.length) out[i] = { ...current, nodes };
    else out.splice(i, 1);
    return out;
  }
  // create and update: the event's record wins, nodes merge by id (events may carry one node)
  const record: Service = {
    ...structuredClone({ ...changed, nodes: [] }),
    nodes: upsertNodes(current?.nodes ?? [], changed.nodes),
  };
  if (current && !changed.endpoints.length) record.endpoints = current.endpoints;
  if (i >= 0) out[i] = record;
  else out.push(record);
  return out;
}
