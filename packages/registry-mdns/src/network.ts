// Which interfaces mDNS uses. Tests pin everything to loopback (`interface: "127.0.0.1"`) so no
// packet ever leaves the machine; production follows Go and uses every non-internal IPv4 interface.
import { isIPv4 } from "node:net";
import { networkInterfaces } from "node:os";

export const MDNS_GROUP = "224.0.0.251";
export const MDNS_PORT = 5353;

/**
 * IPv4 addresses of the interfaces to join and send on. `choice` is an IPv4 address or an
 * interface name (`eth0`, `lo`); without it, every up non-internal IPv4 interface, else loopback.
 */
export function interfaceAddresses(choice?: string): string[] {
  const all = networkInterfaces();
  if (choice) {
    if (isIPv4(choice)) return [choice];
    const named = (all[choice] ?? []).filter((ni) => ni.family === "IPv4").map((ni) => ni.address);
    if (!named.length) throw new Error(`mdns: interface "${choice}" has no IPv4 address`);
    return named;
  }
  const external: string[] = [];
  for (const list of Object.values(all)) {
    for (const ni of list ?? []) if (ni.family === "IPv4" && !ni.internal) external.push(ni.address);
  }
  return external.length ? [...new Set(external)] : ["127.0.0.1"];
}

/**
 * Where the 5353 socket binds. Linux and BSDs deliver group traffic to a socket bound to the group
 * address (and never unicast to it), which keeps us off 0.0.0.0; Windows cannot bind a group.
 */
export const groupBindAddress = (): string => (process.platform === "win32" ? "0.0.0.0" : MDNS_GROUP);
