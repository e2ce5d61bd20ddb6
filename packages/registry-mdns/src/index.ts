import { registerPlugin } from "@micro/core";
import { MdnsRegistry } from "./registry.js";

export { MdnsRegistry, type MdnsRegistryOptions } from "./registry.js";
export { decodeTxt, encodeTxt, TXT_CHUNK, type TxtRecord } from "./txt.js";

registerPlugin({
  kind: "registry",
  name: "mdns",
  from: import.meta.url,
  default: true,
  description: "multicast DNS registry (go-micro's default): no server, processes on one LAN find each other",
  flags: [
    {
      name: "mdns_interface",
      env: "MICRO_MDNS_INTERFACE",
      description: "IPv4 address or name of the one interface mDNS uses (e.g. 127.0.0.1); default all",
    },
    {
      name: "mdns_domain",
      env: "MICRO_MDNS_DOMAIN",
      description: "DNS domain of the records",
      default: "micro",
    },
    {
      name: "mdns_timeout",
      env: "MICRO_MDNS_TIMEOUT",
      type: "duration",
      description: "How long a lookup collects answers, a duration (a bare number is ms)",
      default: 100,
    },
  ],
  create: (ctx) => {
    const iface = ctx.flags.mdns_interface as string | undefined;
    const domain = ctx.flags.mdns_domain as string | undefined;
    const timeout = ctx.flags.mdns_timeout as number | undefined;
    return new MdnsRegistry({
      logger: ctx.logger,
      ...(iface ? { interface: iface } : {}),
      ...(domain ? { domain } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
    });
  },
});
