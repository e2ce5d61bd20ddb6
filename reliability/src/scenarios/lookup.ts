// What a newcomer would find in the registry: a fresh registry client per look (a long-lived one
// would add its own reconnect delay after an outage to the figure), asked for the service's nodes.
import type { Registry } from "@micro/core";
import { ConsulRegistry } from "@micro/registry-consul";
import { EtcdRegistry } from "@micro/registry-etcd";
import { NatsRegistry } from "@micro/registry-nats";

export type RegistryKind = "etcd" | "consul" | "nats";

function registryFor(kind: RegistryKind, url: string): Registry {
  switch (kind) {
    case "etcd":
      return new EtcdRegistry({ addresses: [url] });
    case "consul":
      return new ConsulRegistry({ addresses: [url], timeout: 2000 });
    case "nats":
      return new NatsRegistry({ addresses: [url] });
  }
}

/** The addresses of `service`'s nodes the registry lists now ([] when it cannot answer). */
export async function visibleNodes(kind: RegistryKind, url: string, service: string): Promise<string[]> {
  const registry = registryFor(kind, url);
  try {
    const found = await Promise.race([
      registry.getService(service),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("lookup timed out")), 3000).unref(),
      ),
    ]);
    return found.flatMap((s) => s.nodes.map((n) => n.address));
  } catch {
    return [];
  } finally {
    await Promise.race([registry.close().catch(() => {}), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

/**
 * Polls until every one of `addresses` is listed; resolves with the ms it took, or null after
 * `waitMs`.
 */
export async function waitVisible(
  kind: RegistryKind,
  url: string,
  service: string,
  addresses: string[],
  waitMs: number,
): Promise<number | null> {
  const t0 = Date.now();
  while (Date.now() - t0 < waitMs) {
    const seen = new Set(await visibleNodes(kind, url, service));
    if (addresses.every((a) => seen.has(a))) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
