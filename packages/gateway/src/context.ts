// What every route gets: the mesh (client, registry, broker), the resolved options, the counters.
import type { Broker, Client, Logger, Registry } from "@micro/core";
import type { RegistryCache } from "@micro/registry-cache";
import type { ResolvedGatewayOptions } from "./options.js";
import type { GatewayStats } from "./stats.js";

export interface GatewayContext {
  client: Client;
  registry: Registry;
  /** Service records kept current by a watch: endpoint metadata and nodes without a lookup per request. */
  cache: RegistryCache;
  broker: Broker | undefined;
  options: ResolvedGatewayOptions;
  stats: GatewayStats;
  logger: Logger;
}
