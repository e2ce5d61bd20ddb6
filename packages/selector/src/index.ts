import {
  MicroErrorCode,
  type PluginContext,
  PluginError,
  parseDuration,
  registerPlugin,
  type Strategy,
} from "@micro/core";
import { createSelector } from "./selector.js";
import { random, roundRobin } from "./strategy.js";

export { applyEvent } from "./apply-event.js";
export { noneAvailable, notFound } from "./errors.js";
export { filterEndpoint, filterLabel, filterVersion } from "./filters.js";
export {
  createSelector,
  DEFAULT_FAILURE_TIMEOUT,
  DEFAULT_TTL,
  RegistrySelector,
  type SelectorOptions,
} from "./selector.js";
export { allNodes, createRoundRobin, random, roundRobin } from "./strategy.js";

const VERSION = "0.1.0";

const FLAGS = [
  {
    name: "selector_ttl",
    description: "How long the selector uses a registry answer before asking again (Go duration)",
    default: "1m",
  },
];

function fromContext(strategy: Strategy, ctx: PluginContext) {
  if (!ctx.registry) {
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      "the registry selector needs a registry: create it through a service, or call createSelector({ registry })",
    );
  }
  const ttl = ctx.flags.selector_ttl;
  return createSelector({
    registry: ctx.registry,
    strategy,
    logger: ctx.logger,
    ...(ttl ? { ttl: parseDuration(ttl, "s") } : {}),
  });
}

// go-micro's selector is named "registry" and picks randomly; --selector=roundrobin swaps the strategy.
for (const [name, strategy, description] of [
  ["registry", random, "registry-backed, random node per call (go-micro's default)"],
  ["random", random, "registry-backed, random node per call"],
  ["roundrobin", roundRobin, "registry-backed, nodes in turn"],
  ["round-robin", roundRobin, "registry-backed, nodes in turn"],
] as const) {
  registerPlugin({
    kind: "selector",
    name,
    version: VERSION,
    description,
    flags: FLAGS,
    create: (ctx) => fromContext(strategy, ctx),
  });
}
