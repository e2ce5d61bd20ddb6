// Three nodes of one service, each its own process, registered in the scenario's registry; ready
// once each printed its address and a fresh registry lookup lists all of them.
import { Child } from "../proc/child.js";
import { peerScript } from "./context.js";
import { type RegistryKind, waitVisible } from "./lookup.js";

export interface ClusterOptions {
  registry: RegistryKind;
  url: string;
  service: string;
  nodes?: number;
  /** ms the node at index 0 takes to answer (the slow node). */
  slowFirstMs?: number;
}

export class Cluster {
  private constructor(
    readonly nodes: Child[],
    readonly addresses: string[],
    readonly env: Record<string, string>,
  ) {}

  static async start(o: ClusterOptions): Promise<Cluster> {
    const env = { CHAOS_REGISTRY: o.registry, CHAOS_REGISTRY_ADDRESS: o.url, CHAOS_SERVICE: o.service };
    const nodes = Array.from({ length: o.nodes ?? 3 }, (_, i) =>
      Child.node(`node n${i}`, peerScript("node"), [], {
        ...env,
        CHAOS_LABEL: `n${i}`,
        ...(i === 0 && o.slowFirstMs ? { CHAOS_SLOW_MS: String(o.slowFirstMs) } : {}),
      }),
    );
    try {
      const ready = await Promise.all(
        nodes.map((n) => n.waitFor((l) => l.event === "ready", 30_000, "ready")),
      );
      const addresses = ready.map((l) => String(l.address));
      const took = await waitVisible(o.registry, o.url, o.service, addresses, 30_000);
      if (took === null) throw new Error(`the ${o.registry} registry did not list all nodes within 30 s`);
      return new Cluster(nodes, addresses, env);
    } catch (err) {
      for (const n of nodes) n.kill();
      throw err;
    }
  }

  /** SIGTERM (a node's normal stop) for those still running, SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop("SIGTERM", 10_000)));
  }
}
