// go-micro's selector filters. They return new records and never modify what they were given,
// because the lists come from the shared registry cache.
import type { Filter } from "@micro/core";

/** Keeps the services (versions) of this version. */
export function filterVersion(version: string): Filter {
  return (services) => services.filter((s) => s.version === version);
}

/** Keeps the nodes whose metadata has `key` set to `value`; versions left without nodes go. */
export function filterLabel(key: string, value: string): Filter {
  return (services) =>
    services
      .map((s) => ({ ...s, nodes: s.nodes.filter((n) => n.metadata?.[key] === value) }))
      .filter((s) => s.nodes.length > 0);
}

/** Keeps the versions that serve this endpoint (`Greeter.Hello`). */
export function filterEndpoint(name: string): Filter {
  return (services) => services.filter((s) => s.endpoints?.some((e) => e.name === name));
}
