// Resolves the plugins a service uses: instances given in code win; names come from the config
// (code < env < flag) and are looked up in the plugin table, importing packages on demand.
import type { Broker } from "./broker.js";
import { CORE_FLAGS, type Config } from "./config/core-flags.js";
import type { FlagSpec } from "./config/flag-spec.js";
import { type ConfigSources, mergeSpecs, resolveConfig } from "./config/resolve.js";
import { tlsFromConfig } from "./config/tls.js";
import type { Logger } from "./logger.js";
import { defaultContentType } from "./plugin/codecs.js";
import { loadPlugin } from "./plugin/loader.js";
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

/** Core's flags and those of every plugin loaded so far. */
export function allFlagSpecs(): FlagSpec[] {
  return mergeSpecs([CORE_FLAGS, ...listPlugins().map((p) => p.flags ?? [])]);
}

/** The plugin kinds a service resolves by name, in the order they are made. */
export const STACK_KINDS = ["registry", "transport", "broker", "selector"] as const;

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
  // only the plugins' own flags are left to resolve: core's were resolved once, by the caller
  const coreNames = new Set<string>(CORE_FLAGS.map((f) => f.name));
  const pluginSpecs = allFlagSpecs().filter((f) => !coreNames.has(f.name));
  const config: Config = Object.assign(core, resolveConfig(pluginSpecs, sources));
  config.client_content_type ??= await defaultContentType();
  const tls = options.tls ?? tlsFromConfig(config);
  const ctx = (kind: PluginKind, extra: Partial<PluginContext> = {}): PluginContext => ({
    addresses: (config[`${kind}_address`] as string[] | undefined) ?? [],
    flags: config,
    logger: options.logger,
    ...(tls ? { tls } : {}),
    ...extra,
  });
  const make = <K extends (typeof STACK_KINDS)[number]>(
    kind: K,
    extra?: Partial<PluginContext>,
  ): PluginKinds[K] => {
    const given = options[kind];
    if (given && typeof given === "object") return given as PluginKinds[K];
    return defs.get(kind)!.create(ctx(kind, extra)) as PluginKinds[K];
  };
  const registry = make("registry");
  const transport = make("transport");
  const broker = make("broker", { registry });
  const selector = make("selector", { registry });
  return { registry, transport, broker, selector, config };
}
