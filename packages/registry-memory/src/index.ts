import { registerPlugin } from "@micro/core";
import { MemoryRegistry } from "./memory-registry.js";

export { MemoryRegistry, type MemoryRegistryOptions } from "./memory-registry.js";

// One shared instance per process: services and clients that each ask for "memory" must see each other.
let shared: MemoryRegistry | undefined;

registerPlugin({
  kind: "registry",
  name: "memory",
  from: import.meta.url,
  description: "in-process registry",
  create: () => {
    shared ??= new MemoryRegistry();
    return shared;
  },
});
