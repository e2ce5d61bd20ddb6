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
  from: import.meta.url,
  description: "Consul agent HTTP API (go-micro's consul registry format)",
  flags: [
    { name: "consul_token", env: "CONSUL_HTTP_TOKEN", description: "Consul ACL token (X-Consul-Token)" },
    { name: "consul_datacenter", description: "Consul datacenter to query (default: the agent's)" },
  ],
  create: (ctx) => {
    const token = ctx.flags.consul_token as string | undefined;
    const datacenter = ctx.flags.consul_datacenter as string | undefined;
    return new ConsulRegistry({
      ...(ctx.addresses.length ? { addresses: ctx.addresses } : {}),
      ...(token ? { token } : {}),
      ...(datacenter ? { datacenter } : {}),
      ...(ctx.tls ? { tls: ctx.tls } : {}),
      logger: ctx.logger,
    });
  },
});
