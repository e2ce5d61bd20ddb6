// The services this process registered, which it alone answers queries for (go-micro keeps the
// same map). Nodes are grouped by service version and replaced by node id on re-registration.
import type { Node, Service } from "@micro/core";
import { cloneService, encodeService } from "@micro/core/plugin-kit";

export type NodeChange = "created" | "updated" | "unchanged";

/** The answers for one service name, encoded once and reused until it changes. */
export interface Answers {
  /** For a `get` query: every version with all its nodes and endpoints (one message each). */
  full: Uint8Array[];
  /** For a `list` query: the same records without endpoint schemas (a list needs names only). */
  listed: Uint8Array[];
}

const encoder = new TextEncoder();

const sameNode = (a: Node, b: Node) => JSON.stringify(a) === JSON.stringify(b);

export class LocalServices {
  // service name -> one entry per version
  readonly #byName = new Map<string, Service[]>();
  // service name -> its encoded answers; dropped whenever that name changes
  readonly #answers = new Map<string, Answers>();

  get names(): string[] {
    return [...this.#byName.keys()];
  }

  get size(): number {
    return this.#byName.size;
  }

  /** The encoded answers for `name`, or undefined when this process does not hold it. */
  answers(name: string): Answers | undefined {
    return this.#answers.get(name);
  }

  // Encoded when the service changes, not when asked: a list reaching a process that holds
  // thousands of services is answered at once, well inside the asker's window.
  #encode(name: string): void {
    const versions = this.#byName.get(name);
    if (!versions?.length) {
      this.#answers.delete(name);
      return;
    }
    this.#answers.set(name, {
      full: versions.map((s) => encoder.encode(encodeService(s))),
      listed: versions.map((s) => encoder.encode(encodeService({ ...s, endpoints: [] }))),
    });
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
    const newVersion = !cur;
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
    if (change !== "unchanged" || newVersion) this.#encode(service.name);
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
    if (removed.length || !versions.length) this.#encode(name);
    return removed;
  }
}
