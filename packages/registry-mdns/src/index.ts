import { registerPlugin } from "@micro/core";
import { MdnsRegistry } from "./registry.js";

export { MdnsRegistry, type MdnsRegistryOptions } from "./registry.js";
export { decodeTxt, encodeTxt, TXT_CHUNK, type TxtRecord } from "./txt.js";

const num = (v: string | undefined): number | undefined =>
  v && Number.isFinite(Number(v)) ? Number(v) : undefined;

registerPlugin({
  kind: "registry",
  name: "mdns",
  version: "0.1.0",
  description: "multicast DNS registry (go-micro's default): no server, processes on one LAN find each other",
  flags: [
    {
      name: "mdns_interface",
      description: "IPv4 address or name of the one interface mDNS uses (e.g. 127.0.0.1); default all",
    },
    { name: "mdns_domain", description: "DNS domain of the records", default: "micro" },
    { name: "mdns_timeout", description: "How long a lookup collects answers, in ms", default: "100" },
  ],
  create: (ctx) => {
    const flag = (name: string, env: string) => ctx.flags[name] ?? process.env[env];
    const iface = flag("mdns_interface", "MICRO_MDNS_INTERFACE");
    const domain = flag("mdns_domain", "MICRO_MDNS_DOMAIN");
    const timeout = num(flag("mdns_timeout", "MICRO_MDNS_TIMEOUT"));
    return new MdnsRegistry({
      logger: ctx.logger,
      ...(iface ? { interface: iface } : {}),
      ...(domain ? { domain } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
    });
  },
});
