import {
  type FlagSpec,
  MicroErrorCode,
  type PluginContext,
  PluginError,
  registerPlugin,
  type Strategy,
} from "@micro/core";
import { createSelector, DEFAULT_TTL } from "./selector.js";
import { random, roundRobin } from "./strategy.js";

export { applyEvent } from "@micro/registry-cache";
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

const FLAGS = [
  {
    name: "selector_ttl",
    type: "duration",
    unit: "s",
    description: "How long the selector uses a registry answer before asking again (a duration, or seconds)",
    default: DEFAULT_TTL,
  },
] as const satisfies readonly FlagSpec[];

function fromContext(strategy: Strategy, ctx: PluginContext) {
  if (!ctx.registry) {
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      "the registry selector needs a registry: create it through a service, or call createSelector({ registry })",
    );
  }
  const ttl = ctx.flags.selector_ttl as number | undefined;
  return createSelector({
    registry: ctx.registry,
    strategy,
    logger: ctx.logger,
    ...(ttl !== undefined ? { ttl } : {}),
  });
}

// go-micro's selector is named "registry" and picks randomly; --selector=roundrobin swaps the strategy.
registerPlugin({
  kind: "selector",
  name: "registry",
  aliases: ["random"],
  from: import.meta.url,
  default: true,
  description: "registry-backed, random node per call (go-micro's default)",
  flags: FLAGS,
  create: (ctx) => fromContext(random, ctx),
});

registerPlugin({
  kind: "selector",
  name: "roundrobin",
  aliases: ["round-robin"],
  from: import.meta.url,
  description: "registry-backed, nodes in turn",
  flags: FLAGS,
  create: (ctx) => fromContext(roundRobin, ctx),
});
