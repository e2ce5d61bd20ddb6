// TTLs of the nodes programs register through `POST /registry`. The program's re-POST is its
// heartbeat; the sidecar never renews on its behalf. Registries do not all let a TTL lapse on their
// own (etcd's keep-alive stream renews every lease the sidecar holds, mdns re-announces), so the
// sidecar keeps a timer per node and takes the node out when the program misses its TTL.
import type { Node, Service } from "@micro/core";
import type { GatewayContext } from "../context.js";

interface Lease {
  timer: NodeJS.Timeout;
  service: Service;
}

export class NodeLeases {
  readonly #leases = new Map<string, Lease>();

  /** After a registration: each node's clock starts again; no TTL means no clock. */
  renew(ctx: GatewayContext, service: Service, ttlMs: number | undefined): void {
    for (const node of service.nodes) {
      const key = keyOf(service.name, node);
      const prev = this.#leases.get(key);
      if (prev) clearTimeout(prev.timer);
      if (!ttlMs) {
        this.#leases.delete(key);
        continue;
      }
      const one: Service = { ...service, nodes: [node] };
      const timer = setTimeout(() => void this.#expire(ctx, key, one, ttlMs), ttlMs);
      timer.unref();
      this.#leases.set(key, { timer, service: one });
    }
  }

  /** After a deregistration: the nodes' clocks stop. */
  forget(name: string, nodes: Node[]): void {
    for (const node of nodes) {
      const key = keyOf(name, node);
      const lease = this.#leases.get(key);
      if (!lease) continue;
      clearTimeout(lease.timer);
      this.#leases.delete(key);
    }
  }

  /**
   * Stops the clocks. The nodes stay registered: the programs still run and are called directly,
   * not through the sidecar; the registry's own TTL bounds them if nobody renews.
   */
  close(): void {
    for (const lease of this.#leases.values()) clearTimeout(lease.timer);
    this.#leases.clear();
  }

  async #expire(ctx: GatewayContext, key: string, service: Service, ttlMs: number): Promise<void> {
    if (this.#leases.get(key)?.service !== service) return;
    this.#leases.delete(key);
    const node = service.nodes[0]!;
    ctx.logger.info(
      `sidecar: ${service.name} node ${node.id} sent no heartbeat within its TTL (${ttlMs} ms): deregistering`,
    );
    try {
      await ctx.registry.deregister(service);
    } catch (err) {
      ctx.logger.warn(`sidecar: deregistering ${service.name} node ${node.id}: ${(err as Error).message}`);
    }
  }
}

function keyOf(name: string, node: Node): string {
  return `${name}\u0000${node.id}`;
}
