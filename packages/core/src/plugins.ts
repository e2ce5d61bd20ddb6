// The plugin table: kinds x names. Plugin packages register into it when imported. The table lives
// behind a global Symbol so duplicate copies of @micro/core in one process still share it.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Broker } from "./broker.js";
import type { Codec } from "./codec.js";
import type { Logger } from "./logger.js";
import { MicroErrorCode, PluginError } from "./plugin-error.js";
import type { Registry } from "./registry.js";
import type { Selector } from "./selector.js";
import type { TLSOptions, Transport } from "./transport.js";

export interface PluginKinds {
  registry: Registry;
  broker: Broker;
  transport: Transport;
  codec: Codec;
  selector: Selector;
}
export type PluginKind = keyof PluginKinds;

/** A command-line flag a plugin adds; also readable from its env var. */
export interface FlagSpec {
  /** go-micro style name with underscores: `registry_address`. `--registry-address` also works. */
  name: string;
  /** Defaults to MICRO_<NAME upper-cased>. */
  env?: string;
  description: string;
  default?: string;
}

export interface PluginContext {
  /** From `--<kind>_address` / `MICRO_<KIND>_ADDRESS`, split on commas; empty for the plugin's default. */
  addresses: string[];
  /** Every resolved option by flag name (core flags and plugin flags). */
  flags: Readonly<Record<string, string | undefined>>;
  /** The registry chosen for this service (http broker, selectors need one). */
  registry?: Registry;
  tls?: TLSOptions;
  logger: Logger;
}

export interface PluginDefinition<K extends PluginKind = PluginKind> {
  kind: K;
  name: string;
  /** The package version; re-registering the same name with another version warns. */
  version?: string;
  description?: string;
  create(context: PluginContext): PluginKinds[K];
  flags?: FlagSpec[];
}

interface Table {
  version: 1;
  plugins: Map<string, PluginDefinition>;
}

const KEY = Symbol.for("micro.plugins.v1");

function table(): Table {
  const g = globalThis as unknown as Record<symbol, Table | undefined>;
  let t = g[KEY];
  if (!t) {
    t = { version: 1, plugins: new Map() };
    g[KEY] = t;
  }
  return t;
}

const keyOf = (kind: string, name: string) => `${kind}:${name.toLowerCase()}`;

const KINDS: readonly PluginKind[] = ["registry", "broker", "transport", "codec", "selector"];

export function registerPlugin<K extends PluginKind>(def: PluginDefinition<K>): void {
  if (!KINDS.includes(def.kind)) {
    throw new PluginError(
      MicroErrorCode.PluginInvalid,
      `unknown plugin kind "${def.kind}" (one of ${KINDS.join(", ")})`,
    );
  }
  if (!def.name || typeof def.create !== "function") {
    throw new PluginError(
      MicroErrorCode.PluginInvalid,
      `plugin ${def.kind} needs a name and a create function`,
    );
  }
  const t = table();
  const key = keyOf(def.kind, def.name);
  const prev = t.plugins.get(key);
  if (prev && prev.version !== def.version) {
    console.warn(
      `[micro] ${def.kind} plugin "${def.name}" registered again with version ${def.version ?? "?"} (was ${prev.version ?? "?"}); using the newer registration`,
    );
  }
  t.plugins.set(key, def as unknown as PluginDefinition);
}

export function getPlugin<K extends PluginKind>(kind: K, name: string): PluginDefinition<K> | undefined {
  return table().plugins.get(keyOf(kind, name)) as PluginDefinition<K> | undefined;
}

export function listPlugins(kind?: PluginKind): PluginDefinition[] {
  return [...table().plugins.values()].filter((p) => !kind || p.kind === kind);
}

/** Only for tests: forget a registration. */
export function unregisterPlugin(kind: PluginKind, name: string): void {
  table().plugins.delete(keyOf(kind, name));
}

// Names whose package does not follow @micro/<kind>-<name>.
const PACKAGE_ALIASES: Record<string, string> = {
  "registry:kubernetes": "@micro/registry-k8s",
  "selector:random": "@micro/selector",
  "selector:roundrobin": "@micro/selector",
  "selector:round-robin": "@micro/selector",
  "selector:registry": "@micro/selector",
  "codec:application/json": "@micro/codec-json",
  "codec:application/protobuf": "@micro/codec-proto",
  "codec:application/octet-stream": "@micro/codec-bytes",
  "codec:json-rpc": "@micro/codec-jsonrpc",
  "codec:proto-rpc": "@micro/codec-protorpc",
  "codec:grpc+json": "@micro/codec-grpc",
};

/** go-micro's default stack in one package: installing it next to core is enough to run. */
export const DEFAULTS_PACKAGE = "@micro/defaults";

/** The conventional package of a plugin: `--registry=etcd` -> `@micro/registry-etcd`. */
export function packageNameFor(kind: PluginKind, name: string): string {
  return PACKAGE_ALIASES[keyOf(kind, name)] ?? `@micro/${kind}-${name.toLowerCase()}`;
}

/**
 * Returns the plugin, importing its conventional package (resolved from the application's
 * directory, like ESLint resolves plugins) when nobody imported it yet.
 */
export async function loadPlugin<K extends PluginKind>(
  kind: K,
  name: string,
  options: { from?: string } = {},
): Promise<PluginDefinition<K>> {
  const found = getPlugin(kind, name);
  if (found) return found;
  const pkg = packageNameFor(kind, name);
  const imported = await importPackage(pkg, options.from);
  if (!imported && (await importPackage(DEFAULTS_PACKAGE, options.from))) {
    const bundled = getPlugin(kind, name);
    if (bundled) return bundled;
  }
  if (!imported) {
    throw new PluginError(
      MicroErrorCode.PluginNotFound,
      `${kind} "${name}" is not available: no plugin registered that name and the package ${pkg} is not installed. ` +
        `Install it (pnpm add ${pkg}) and import it (import "${pkg}"), or choose another ${kind}.`,
    );
  }
  const loaded = getPlugin(kind, name);
  if (!loaded) {
    throw new PluginError(
      MicroErrorCode.PluginNotFound,
      `${pkg} was loaded but did not register a ${kind} named "${name}"`,
    );
  }
  return loaded;
}

/**
 * Imports `pkg` resolved from the application's directory (then `from`, then the working
 * directory), so a plugin the app depends on is found even when core is installed elsewhere.
 * Resolves false when it is not installed.
 */
export async function importPackage(pkg: string, from?: string): Promise<boolean> {
  const bases = [from, appDir(), process.cwd()].filter((d): d is string => !!d);
  for (const base of bases) {
    let resolved: string;
    try {
      resolved = createRequire(join(base, "__micro_resolve__.js")).resolve(pkg);
    } catch {
      continue;
    }
    await import(pathToFileURL(resolved).href);
    return true;
  }
  return false;
}

function appDir(): string | undefined {
  const main = process.argv[1];
  if (!main) return undefined;
  return join(main, "..");
}
