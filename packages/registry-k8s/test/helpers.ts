import { KubeConfig } from "@kubernetes/client-node";
import type { RegistryEvent, Service, Watcher } from "@micro/core";
import { KubernetesRegistry, type KubernetesRegistryOptions } from "../src/index.js";
import type { FakeApiServer } from "./fake-apiserver.js";

/** A registry driven through @kubernetes/client-node with a kubeconfig pointing at the stand-in. */
export function registryFor(api: FakeApiServer, options: KubernetesRegistryOptions = {}): KubernetesRegistry {
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  return new KubernetesRegistry({ kubeConfig: kc, timeout: 2_000, ...options });
}

export function svc(name: string, version: string, nodeId: string, address = "10.0.0.5:8080"): Service {
  return {
    name,
    version,
    endpoints: [],
    nodes: [{ id: nodeId, address, metadata: { registry: "kubernetes" } }],
  };
}

/** The next event, or a failure after `ms`. */
export async function nextEvent(w: Watcher, ms = 3_000): Promise<RegistryEvent> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      w.next(),
      new Promise<never>((_, reject) => {
        t = setTimeout(() => reject(new Error(`no watch event within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(t);
  }
}

export const tick = (ms = 100) => new Promise<void>((r) => setTimeout(r, ms));
