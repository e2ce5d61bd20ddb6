import { registerPlugin } from "@micro/core";
import { MemoryBroker } from "./memory-broker.js";

export { MemoryBroker, type MemoryBrokerOptions } from "./memory-broker.js";

// One shared instance per process: services that each ask for "memory" must reach each other.
let shared: MemoryBroker | undefined;

registerPlugin({
  kind: "broker",
  name: "memory",
  from: import.meta.url,
  description: "in-process broker",
  create: (ctx) => {
    shared ??= new MemoryBroker({ logger: ctx.logger });
    return shared;
  },
});
