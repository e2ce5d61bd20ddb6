// Listening on go-micro's address form: "host:port", ":port" (every interface), "[::1]:port".
import type { AddressInfo } from "node:net";

export function splitAddress(address: string): { host: string | undefined; port: number } {
  const i = address.lastIndexOf(":");
  if (i < 0) throw new Error(`bad address "${address}": want host:port or :port`);
  let host = address.slice(0, i);
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`bad address "${address}": port must be 0-65535`);
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { host: host || undefined, port };
}

export function formatAddress(info: AddressInfo | string | null): string {
  if (!info || typeof info === "string") return String(info);
  return info.family === "IPv6" ? `[${info.address}]:${info.port}` : `${info.address}:${info.port}`;
}
