import { registerPlugin } from "@micro/core";
import { ConsulRegistry } from "./consul-registry.js";

export {
  ConsulRegistry,
  type ConsulServiceRegistration,
  registration,
  splitHostPort,
} from "./consul-registry.js";
export { deregisterAfter, goDuration } from "./duration.js";
export {
  decodeEndpoints,
  decodeMetadata,
  decodePayload,
  decodeVersion,
  encodePayload,
  encodeTags,
} from "./encoding.js";
export { ConsulHttpError } from "./http.js";
export type { ConsulRegistryOptions } from "./options.js";

registerPlugin({
  kind: "registry",
  name: "consul",
  version: "0.1.0",
  description: "Consul agent HTTP API (go-micro's consul registry format)",
  flags: [
    { name: "consul_token", env: "CONSUL_HTTP_TOKEN", description: "Consul ACL token (X-Consul-Token)" },
    { name: "consul_datacenter", description: "Consul datacenter to query (default: the agent's)" },
  ],
  create: (ctx) =>
    new ConsulRegistry({
      ...(ctx.addresses.length ? { addresses: ctx.addresses } : {}),
      ...(ctx.flags.consul_token ? { token: ctx.flags.consul_token } : {}),
      ...(ctx.flags.consul_datacenter ? { datacenter: ctx.flags.consul_datacenter } : {}),
      ...(ctx.tls ? { tls: ctx.tls } : {}),
      logger: ctx.logger,
    }),
});
