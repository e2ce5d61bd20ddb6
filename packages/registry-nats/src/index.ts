import { parseDuration, registerPlugin } from "@micro/core";
import { NatsRegistry } from "./nats-registry.js";

export { DEFAULT_URL, normalizeServers } from "@micro/nats-connection";
export { type Envelope, encodeEvent, encodeGetQuery, encodeListQuery, parseEnvelope } from "./envelope.js";
export { NatsRegistry, type NatsRegistryOptions } from "./nats-registry.js";

export const VERSION = "0.1.0";

registerPlugin({
  kind: "registry",
  name: "nats",
  version: VERSION,
  description: "NATS registry (go-micro compatible queries on micro.nats.query, events on micro.nats.watch)",
  create: (ctx) =>
    new NatsRegistry({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      timeout: ctx.flags.nats_registry_timeout ? parseDuration(ctx.flags.nats_registry_timeout) : undefined,
    }),
  flags: [
    {
      name: "nats_registry_timeout",
      env: "MICRO_NATS_REGISTRY_TIMEOUT",
      description: "How long a NATS registry lookup collects answers, Go duration",
      default: "100ms",
    },
  ],
});
