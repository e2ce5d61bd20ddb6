// Resolves the plugins a service uses: instances given in code win; names come from the config
// (code < env < flag) and are looked up in the plugin table, importing packages on demand.
import type { Broker } from "./broker.js";
import { CORE_FLAGS, type Config } from "./config/core-flags.js";
import type { FlagSpec } from "./config/flag-spec.js";
import { type ConfigSources, mergeSpecs, resolveConfig } from "./config/resolve.js";
import { tlsFromConfig } from "./config/tls.js";
import type { Logger } from "./logger.js";
import { defaultContentType } from "./plugin/codecs.js";
import { indexedStackFlags, loadPlugin } from "./plugin/loader.js";
import { listPlugins, type PluginContext, type PluginKind, type PluginKinds } from "./plugin/table.js";
import type { Registry } from "./registry.js";
import type { Selector } from "./selector.js";
import type { TLSOptions, Transport } from "./transport.js";

export interface Stack {
  registry: Registry;
  transport: Transport;
  broker: Broker;
  selector: Selector;
  config: Config;
}

export interface StackOptions {
  registry?: string | Registry;
  transport?: string | Transport;
  broker?: string | Broker;
  selector?: string | Selector;
  tls?: TLSOptions;
  logger: Logger;
}

/**
 * Core's flags, those of every plugin loaded so far, and those of the default stack's plugins
 * that the package index describes before they load.
 */
export function allFlagSpecs(): FlagSpec[] {
  return mergeSpecs([CORE_FLAGS, ...listPlugins().map((p) => p.flags ?? []), ...indexedStackFlags()]);
}

/** The plugin kinds a service resolves by name, in the order they are made. */
export const STACK_KINDS = ["registry", "transport", "broker", "selector"] as const;

/** Resolves the loaded plugins' own flags into `core` (core's were resolved once, by the caller). */
function withPluginFlags(core: Config, sources: ConfigSources): Config {
  const coreNames = new Set<string>(CORE_FLAGS.map((f) => f.name));
  const pluginSpecs = allFlagSpecs().filter((f) => !coreNames.has(f.name));
  return Object.assign(core, resolveConfig(pluginSpecs, sources));
}

function contextOf(
  kind: PluginKind,
  config: Config,
  options: StackOptions,
  tls: TLSOptions | undefined,
  extra: Partial<PluginContext> = {},
): PluginContext {
  return {
    addresses: (config[`${kind}_address`] as string[] | undefined) ?? [],
    flags: config,
    logger: options.logger,
    ...(tls ? { tls } : {}),
    ...extra,
  };
}

/**
 * The registry alone, for a tool that needs nothing else (`micro services` imports no transport,
 * broker or codec). `resolveStack` takes it afterwards instead of making a second one.
 */
export async function resolveRegistry(
  options: StackOptions,
  core: Config,
  sources: ConfigSources,
): Promise<Registry> {
  if (typeof options.registry === "object") return options.registry;
  const def = await loadPlugin("registry", core.registry);
  const config = withPluginFlags(core, sources);
  return def.create(contextOf("registry", config, options, options.tls ?? tlsFromConfig(config)));
}

/**
 * Loads the chosen plugins, resolves their flags into the config (core's are already in it) and
 * creates the plugins from it.
 */
export async function resolveStack(
  options: StackOptions,
  core: Config,
  sources: ConfigSources,
): Promise<Stack> {
  const defs = new Map<PluginKind, Awaited<ReturnType<typeof loadPlugin>>>();
  for (const kind of STACK_KINDS) {
    if (typeof options[kind] !== "object") defs.set(kind, await loadPlugin(kind, core[kind]));
  }
  const config = withPluginFlags(core, sources);
  config.client_content_type ??= await defaultContentType();
  const tls = options.tls ?? tlsFromConfig(config);
  const make = <K extends (typeof STACK_KINDS)[number]>(
    kind: K,
    extra?: Partial<PluginContext>,
  ): PluginKinds[K] => {
    const given = options[kind];
    if (given && typeof given === "object") return given as PluginKinds[K];
    return defs.get(kind)!.create(contextOf(kind, config, options, tls, extra)) as PluginKinds[K];
  };
  const registry = make("registry");
  const transport = make("transport");
  const broker = make("broker", { registry });
  const selector = make("selector", { registry });
  return { registry, transport, broker, selector, config };
}
