// Nodes that just failed a call, so the next calls try the others first. go-micro's Mark is a no-op;
// without this a dead node keeps receiving its share of calls until the registry drops it.
import type { Node, Service } from "@micro/core";

export class FailedNodes {
  // service -> node id -> epoch ms until which the node is avoided
  readonly #until = new Map<string, Map<string, number>>();

  constructor(
    readonly timeout: number,
    private readonly now: () => number = Date.now,
  ) {}

  mark(service: string, node: Node, failed: boolean): void {
    let nodes = this.#until.get(service);
    if (!failed) {
      nodes?.delete(node.id);
      if (nodes?.size === 0) this.#until.delete(service);
      return;
    }
    if (this.timeout <= 0) return;
    if (!nodes) {
      nodes = new Map();
      this.#until.set(service, nodes);
    }
    nodes.set(node.id, this.now() + this.timeout);
  }

  isFailing(service: string, id: string): boolean {
    const nodes = this.#until.get(service);
    const until = nodes?.get(id);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    nodes!.delete(id);
    return false;
  }

  /**
   * The services without their failing nodes; everything when every node is failing, since a node
   * that failed a moment ago beats no node at all.
   */
  healthy(service: string, services: Service[]): Service[] {
    if (!this.#until.has(service)) return services;
    const kept = services
      .map((s) => ({ ...s, nodes: s.nodes.filter((n) => !this.isFailing(service, n.id)) }))
      .filter((s) => s.nodes.length > 0);
    return kept.length ? kept : services;
  }

  reset(service: string): void {
    this.#until.delete(service);
  }

  clear(): void {
    this.#until.clear();
  }
}
