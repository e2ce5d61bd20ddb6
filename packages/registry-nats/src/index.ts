import { registerPlugin } from "@micro/core";
import { NatsRegistry } from "./nats-registry.js";

export { DEFAULT_URL, normalizeServers } from "@micro/nats-connection";
export { type Envelope, encodeEvent, encodeGetQuery, encodeListQuery, parseEnvelope } from "./envelope.js";
export { NatsRegistry, type NatsRegistryOptions } from "./nats-registry.js";

registerPlugin({
  kind: "registry",
  name: "nats",
  from: import.meta.url,
  description: "NATS registry (go-micro compatible queries on micro.nats.query, events on micro.nats.watch)",
  create: (ctx) =>
    new NatsRegistry({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      timeout: ctx.flags.nats_registry_timeout as number | undefined,
    }),
  flags: [
    {
      name: "nats_registry_timeout",
      env: "MICRO_NATS_REGISTRY_TIMEOUT",
      type: "duration",
      description: "How long a NATS registry lookup collects answers, a duration",
      default: 100,
    },
  ],
});
