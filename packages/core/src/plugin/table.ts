// The plugin table: kinds x names. Plugin packages register into it when imported. The table lives
// behind a global Symbol so duplicate copies of @micro/core in one process still share it. Every
// fact about a plugin (names, aliases, content types, flags, whether it is the default, the core
// versions it supports) comes from its own registration; core lists none.
import type { Broker } from "../broker.js";
import type { Codec } from "../codec.js";
import type { Config } from "../config/core-flags.js";
import type { FlagSpec } from "../config/flag-spec.js";
import type { Logger } from "../logger.js";
import type { Registry } from "../registry.js";
import type { Selector } from "../selector.js";
import type { TLSOptions, Transport } from "../transport.js";
import { corePackage, packageInfo } from "./package-info.js";
import { MicroErrorCode, PluginError } from "./plugin-error.js";
import { satisfies } from "./semver.js";

export interface PluginKinds {
  registry: Registry;
  broker: Broker;
  transport: Transport;
  codec: Codec;
  selector: Selector;
}
export type PluginKind = keyof PluginKinds;

export const PLUGIN_KINDS: readonly PluginKind[] = ["registry", "broker", "transport", "codec", "selector"];

export interface PluginContext {
  /** From `--<kind>_address` / `MICRO_<KIND>_ADDRESS`; empty for the plugin's default. */
  addresses: string[];
  /** Every resolved option by flag name, typed as its spec says (durations in ms). */
  flags: Config;
  /** The registry chosen for this service (http broker, selectors need one). */
  registry?: Registry;
  tls?: TLSOptions;
  logger: Logger;
}

export interface PluginDefinition<K extends PluginKind = PluginKind> {
  kind: K;
  name: string;
  /** Other names it answers to. */
  aliases?: readonly string[];
  /**
   * The registering module's `import.meta.url`: the package name, version and supported
   * @micro/core range (its peer dependency) are read from the package.json above it.
   */
  from?: string;
  description?: string;
  /** Used when the application chooses no plugin of this kind. */
  default?: boolean;
  /** Flags the plugin adds; they show in `--help` once the plugin is loaded. */
  flags?: readonly FlagSpec[];
  create(context: PluginContext): PluginKinds[K];
  /** Codecs: every Content-Type served, the canonical one first. */
  contentTypes?: readonly string[];
  /** Codecs: serves requests that carry no Content-Type (go-micro's server assumes its default codec). */
  fallback?: boolean;
  /** Codecs: sent instead of these content types to nodes without `protocol` metadata (go-micro < v2). */
  legacyFor?: readonly string[];
}

/** A registration as the table keeps it, with the facts read from its package. */
export interface RegisteredPlugin<K extends PluginKind = PluginKind> extends PluginDefinition<K> {
  readonly package?: string;
  readonly version?: string;
}

interface Table {
  plugins: Map<string, RegisteredPlugin>;
  /** Registered names only (aliases point at the same entry in `plugins`). */
  primary: Set<RegisteredPlugin>;
}

const KEY = Symbol.for("micro.plugins.v2");

function table(): Table {
  const g = globalThis as unknown as Record<symbol, Table | undefined>;
  g[KEY] ??= { plugins: new Map(), primary: new Set() };
  return g[KEY];
}

const keyOf = (kind: string, name: string) => `${kind}:${name.toLowerCase()}`;

function invalid(message: string): PluginError {
  return new PluginError(MicroErrorCode.PluginInvalid, message);
}

export function registerPlugin<K extends PluginKind>(def: PluginDefinition<K>): void {
  if (!PLUGIN_KINDS.includes(def.kind)) {
    throw invalid(`unknown plugin kind "${def.kind}" (one of ${PLUGIN_KINDS.join(", ")})`);
  }
  if (!def.name || typeof def.create !== "function") {
    throw invalid(`plugin ${def.kind} needs a name and a create function`);
  }
  if (def.kind === "codec" && !def.contentTypes?.length) {
    throw invalid(`codec "${def.name}" must list the content types it serves`);
  }
  const pkg = def.from ? packageInfo(def.from) : undefined;
  if (pkg?.core) {
    const core = corePackage();
    if (!satisfies(core.version, pkg.core)) {
      throw new PluginError(
        MicroErrorCode.PluginIncompatible,
        `${pkg.name} ${pkg.version} needs ${core.name} ${pkg.core}, but this is ${core.version}: install versions that match`,
      );
    }
  }
  const entry: RegisteredPlugin<K> = {
    ...def,
    ...(pkg ? { package: pkg.name, version: pkg.version } : {}),
  };
  const t = table();
  const prev = t.plugins.get(keyOf(def.kind, def.name));
  if (prev && prev.version !== entry.version) {
    console.warn(
      `[micro] ${def.kind} plugin "${def.name}" registered again with version ${entry.version ?? "?"} (was ${prev.version ?? "?"}); using the newer registration`,
    );
  }
  if (prev) t.primary.delete(prev);
  t.primary.add(entry as unknown as RegisteredPlugin);
  for (const name of [def.name, ...(def.aliases ?? [])]) {
    t.plugins.set(keyOf(def.kind, name), entry as unknown as RegisteredPlugin);
  }
}

/** The plugin registered under `name` or one of its aliases. */
export function getPlugin<K extends PluginKind>(kind: K, name: string): RegisteredPlugin<K> | undefined {
  return table().plugins.get(keyOf(kind, name)) as RegisteredPlugin<K> | undefined;
}

/** Every registration (each once, however many aliases it has). */
export function listPlugins<K extends PluginKind>(kind?: K): RegisteredPlugin<K>[] {
  return [...table().primary].filter((p) => !kind || p.kind === kind) as RegisteredPlugin<K>[];
}

/** The plugin of `kind` that says it is the default, if one is registered. */
export function defaultPlugin<K extends PluginKind>(kind: K): RegisteredPlugin<K> | undefined {
  return listPlugins(kind).find((p) => p.default);
}

/** Only for tests: forget a registration and its aliases. */
export function unregisterPlugin(kind: PluginKind, name: string): void {
  const t = table();
  const entry = t.plugins.get(keyOf(kind, name));
  if (!entry) return;
  t.primary.delete(entry);
  for (const [k, v] of t.plugins) if (v === entry) t.plugins.delete(k);
}
