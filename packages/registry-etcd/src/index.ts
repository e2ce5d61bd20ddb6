import { registerPlugin } from "@micro/core";
import { EtcdRegistry } from "./etcd-registry.js";

export { DEFAULT_ADDRESS, normalizeAddresses } from "./addresses.js";
export { EtcdRegistry, type EtcdRegistryOptions, leaseSeconds } from "./etcd-registry.js";
export { nodeKey, PREFIX, servicePrefix } from "./keys.js";

registerPlugin({
  kind: "registry",
  name: "etcd",
  from: import.meta.url,
  description: "etcd v3 registry (go-micro compatible keys under /micro/registry/)",
  create: (ctx) =>
    new EtcdRegistry({
      addresses: ctx.addresses,
      tls: ctx.tls,
      logger: ctx.logger,
      username: ctx.flags.etcd_username as string | undefined,
      password: ctx.flags.etcd_password as string | undefined,
      timeout: ctx.flags.etcd_timeout as number | undefined,
    }),
  flags: [
    { name: "etcd_username", env: "ETCD_USERNAME", description: "etcd user for the etcd registry" },
    { name: "etcd_password", env: "ETCD_PASSWORD", description: "etcd password for the etcd registry" },
    {
      name: "etcd_timeout",
      env: "MICRO_ETCD_TIMEOUT",
      type: "duration",
      description: "Deadline of each etcd registry call, a duration",
      default: 5_000,
    },
  ],
});
