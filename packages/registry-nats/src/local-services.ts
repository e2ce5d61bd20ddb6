// The services this process registered, which it alone answers queries for (go-micro keeps the
// same map). Nodes are grouped by service version and replaced by node id on re-registration.
import type { Node, Service } from "@micro/core";
import { cloneService } from "@micro/core/plugin-kit";

export type NodeChange = "created" | "updated" | "unchanged";

const sameNode = (a: Node, b: Node) => JSON.stringify(a) === JSON.stringify(b);

export class LocalServices {
  // service name -> one entry per version
  readonly #byName = new Map<string, Service[]>();

  get names(): string[] {
    return [...this.#byName.keys()];
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Deep copies of every version registered under `name`. */
  get(name: string): Service[] {
    return (this.#byName.get(name) ?? []).map(cloneService);
  }

  /** Adds or replaces the service's nodes; reports the strongest change among them. */
  add(service: Service): NodeChange {
    const versions = this.#byName.get(service.name) ?? [];
    this.#byName.set(service.name, versions);
    let cur = versions.find((s) => s.version === service.version);
    let change: NodeChange = "unchanged";
    if (!cur) {
      cur = { ...cloneService(service), nodes: [] };
      versions.push(cur);
    } else {
      // service-level fields (endpoints, metadata) follow the latest registration
      const fresh = cloneService(service);
      const before = JSON.stringify([cur.metadata ?? null, cur.endpoints]);
      if (fresh.metadata) cur.metadata = fresh.metadata;
      else delete cur.metadata;
      cur.endpoints = fresh.endpoints;
      if (JSON.stringify([cur.metadata ?? null, cur.endpoints]) !== before) change = "updated";
    }
    for (const node of service.nodes) {
      const i = cur.nodes.findIndex((n) => n.id === node.id);
      if (i < 0) {
        cur.nodes.push(structuredClone(node));
        change = "created";
      } else if (!sameNode(cur.nodes[i]!, node)) {
        cur.nodes[i] = structuredClone(node);
        if (change === "unchanged") change = "updated";
      }
    }
    return change;
  }

  /** Removes the given nodes (by id) of that version; returns the removed nodes. */
  remove(name: string, version: string, nodeIds: readonly string[]): Node[] {
    const versions = this.#byName.get(name);
    if (!versions) return [];
    const cur = versions.find((s) => s.version === version);
    if (!cur) return [];
    const removed = cur.nodes.filter((n) => nodeIds.includes(n.id));
    cur.nodes = cur.nodes.filter((n) => !nodeIds.includes(n.id));
    if (!cur.nodes.length) versions.splice(versions.indexOf(cur), 1);
    if (!versions.length) this.#byName.delete(name);
    return removed;
  }
}
