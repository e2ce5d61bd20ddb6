import type { Node, Service } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { CountingRegistry } from "@micro/testing/helpers";

/** A memory registry that counts lookups and can be made to fail, like a registry going away. */
export const countingRegistry = () => new CountingRegistry(new MemoryRegistry());

export const node = (id: string, metadata: Record<string, string> = {}): Node => ({
  id,
  address: `127.0.0.1:${9000 + Number(id.replace(/\D/g, "") || 0)}`,
  metadata: { protocol: "mucp", ...metadata },
});

export const service = (name: string, version: string, nodes: Node[], endpoints: string[] = []): Service => ({
  name,
  version,
  endpoints: endpoints.map((e) => ({ name: e, metadata: {} })),
  nodes,
});

export const quiet = { debug() {}, info() {}, warn() {}, error() {} };
