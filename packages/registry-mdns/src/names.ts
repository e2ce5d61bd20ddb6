// DNS names go-micro's mdns registry uses. Every name here is fully qualified (trailing dot), the
// way Go writes them; dns-packet drops the dot, so names read off the wire go through `fqdn`.
import { hostname } from "node:os";

export const fqdn = (name: string): string => (name.endsWith(".") ? name : `${name}.`);

const trim = (s: string): string => s.replace(/^\.+|\.+$/g, "");

/** DNS compares names without regard to case. */
export const sameName = (a: string, b: string): boolean => fqdn(a).toLowerCase() === fqdn(b).toLowerCase();

/** `greeter.micro.`: what GetService asks for. */
export const serviceName = (service: string, domain: string): string => `${trim(service)}.${trim(domain)}.`;

/** `greeter-1.greeter.micro.`: one node. */
export const instanceName = (id: string, service: string, domain: string): string =>
  `${id}.${serviceName(service, domain)}`;

/** `_services.micro.`: what ListServices asks for; each service answers with `S._services.micro.`. */
export const servicesName = (domain: string): string => serviceName("_services", domain);

/** `_services._dns-sd._udp.micro.`: DNS-SD enumeration (Go's own lookups never ask it). */
export const dnsSdName = (domain: string): string => `_services._dns-sd._udp.${trim(domain)}.`;

/** The part of `name` before `.<suffix>`, or undefined when it does not end so. */
export function stripSuffix(name: string, suffix: string): string | undefined {
  const n = fqdn(name);
  const tail = `.${suffix}`;
  if (n.length <= tail.length || !n.toLowerCase().endsWith(tail.toLowerCase())) return undefined;
  return n.slice(0, n.length - tail.length);
}

/** Go's SRV target: the OS host name, fully qualified. */
export const localHostName = (): string => fqdn(trim(hostname()) || "localhost");
