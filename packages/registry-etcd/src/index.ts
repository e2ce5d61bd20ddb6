import { parseDuration, registerPlugin } from "@micro/core";
import { EtcdRegistry } from "./etcd-registry.js";

export { DEFAULT_ADDRESS, normalizeAddresses } from "./addresses.js";
export { EtcdRegistry, type EtcdRegistryOptions, leaseSeconds } from "./etcd-registry.js";
export { nodeKey, PREFIX, servicePrefix } from "./keys.js";

export const VERSION = "0.1.0";

registerPlugin({
  kind: "registry",
  name: "etcd",
  version: VERSION,
  description: "etcd v3 registry (go-micro compatible keys under /micro/registry/)",
  create: (ctx) =>
    new EtcdRegistry({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      username: ctx.flags.etcd_username,
      password: ctx.flags.etcd_password,
      timeout: ctx.flags.etcd_timeout ? parseDuration(ctx.flags.etcd_timeout) : undefined,
    }),
  flags: [
    { name: "etcd_username", env: "ETCD_USERNAME", description: "etcd user for the etcd registry" },
    { name: "etcd_password", env: "ETCD_PASSWORD", description: "etcd password for the etcd registry" },
    {
      name: "etcd_timeout",
      env: "MICRO_ETCD_TIMEOUT",
      description: "Deadline of each etcd registry call, Go duration",
      default: "5s",
    },
  ],
});
