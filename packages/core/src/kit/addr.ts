// host:port helpers, and go-micro's rule for what address to advertise for a wildcard bind.
import { networkInterfaces } from "node:os";

export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(address) ?? /^([^:]*):(\d*)$/.exec(address);
  if (!m) {
    // a bare IPv6 address or host without port
    return { host: address, port: 0 };
  }
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 0 };
}

export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

const PRIVATE_V4 = [
  /^10\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^192\.168\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
];

/**
 * go-micro's addr.Extract: a concrete host is kept; an unspecified one (``, `0.0.0.0`, `::`) becomes
 * the first private IPv4 of the machine, else a public one, else loopback.
 */
export function advertiseHost(host: string): string {
  if (host && host !== "0.0.0.0" && host !== "::" && host !== "[::]") return host;
  const v4: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const ni of list ?? []) if (ni.family === "IPv4" && !ni.internal) v4.push(ni.address);
  }
  return v4.find((a) => PRIVATE_V4.some((r) => r.test(a))) ?? v4[0] ?? "127.0.0.1";
}

/** The address to put in the registry for a listener bound at `bound`. */
export function advertiseAddress(bound: string): string {
  // transports whose addresses are not host:port (a subject) are advertised as they are
  if (!/:\d+$/.test(bound)) return bound;
  const { host, port } = splitHostPort(bound);
  return joinHostPort(advertiseHost(host), port);
}
