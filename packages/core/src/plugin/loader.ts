// Finds a plugin by name, importing its package when nobody imported it yet: first the conventional
// package (`--<kind>=<name>` -> @micro/<kind>-<name>), then the package index that @micro/defaults
// registers (generated from every plugin's registration, for names that do not follow the
// convention). Packages resolve from the application's directory, as ESLint resolves plugins.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FlagSpec } from "../config/flag-spec.js";
import { MicroErrorCode, PluginError } from "./plugin-error.js";
import { closest } from "./suggest.js";
import { defaultPlugin, getPlugin, listPlugins, type PluginKind, type RegisteredPlugin } from "./table.js";

/** go-micro's default stack in one package: installing it next to core is enough to run. */
export const DEFAULTS_PACKAGE = "@micro/defaults";

/**
 * `find()`, asked again after importing what it may need when it finds nothing: first the packages
 * of the index entries `pick` chooses (one plugin, not the whole stack: `micro --help` and
 * `micro services` load only what they use), then all of @micro/defaults. What core looks up when
 * the application named nothing (a default plugin, the default or fallback codec).
 */
export async function findWithDefaults<T>(
  find: () => T | undefined,
  from?: string,
  pick?: (entry: PluginIndexEntry) => boolean,
): Promise<T | undefined> {
  const found = find();
  if (found !== undefined) return found;
  if (pick) {
    for (const entry of index().filter(pick)) {
      await importEntry(entry, from);
      const loaded = find();
      if (loaded !== undefined) return loaded;
    }
  }
  await importPackage(DEFAULTS_PACKAGE, from);
  return find();
}

/** Which package provides which plugin names and content types. */
export interface PluginIndexEntry {
  kind: PluginKind;
  package: string;
  names: readonly string[];
  contentTypes?: readonly string[];
  legacyFor?: readonly string[];
  /** The registration says it is its kind's default. */
  default?: boolean;
  /** A codec serving requests that carry no Content-Type. */
  fallback?: boolean;
  /**
   * The plugin's flags. Those of a `stack` entry are global flags before the plugin loads, as
   * they are once @micro/defaults loaded it (`micro --help` lists them without importing it).
   */
  flags?: readonly FlagSpec[];
  /** In @micro/defaults' stack: imported with it. */
  stack?: boolean;
  /**
   * Imports the package from where the index lives (a dependency of the index's package, which
   * the application's directory may not resolve under a strict layout).
   */
  load?: () => Promise<unknown>;
}

const INDEX_KEY = Symbol.for("micro.plugin-index.v1");

function index(): PluginIndexEntry[] {
  const g = globalThis as unknown as Record<symbol, PluginIndexEntry[] | undefined>;
  g[INDEX_KEY] ??= [];
  return g[INDEX_KEY];
}

/** Adds entries to the package index consulted for names nobody registered yet (each once). */
export function registerPluginIndex(entries: readonly PluginIndexEntry[]): void {
  const known = index();
  for (const e of entries) if (!known.includes(e)) known.push(e);
}

/** Flags of the stack's plugins that are not loaded yet (loaded ones declare their own). */
export function indexedStackFlags(): FlagSpec[][] {
  return index()
    .filter((e) => e.stack && e.flags)
    .map((e) => [...e.flags!]);
}

/** Imports an index entry's package, through its own loader when it has one. */
export function importEntry(entry: PluginIndexEntry, from?: string): Promise<boolean> {
  if (!entry.load) return importPackage(entry.package, from);
  const key = `${entry.package}\u0000index`;
  let found = imports.get(key);
  if (!found) {
    found = entry.load().then(() => true);
    imports.set(key, found);
  }
  return found;
}

/** The package index entries known so far. */
export function pluginIndex(): readonly PluginIndexEntry[] {
  return index();
}

export interface LoadOptions {
  /** Directory to resolve packages from before the application's own. */
  from?: string;
  /**
   * The command that installs `pkg` where it will be found, for the "not installed" message
   * (default `pnpm add <pkg>`, an application's dependency; the micro CLI says how to add it to itself).
   */
  install?: (pkg: string) => string;
}

const installCommand = (options: LoadOptions, pkg: string) => options.install?.(pkg) ?? `pnpm add ${pkg}`;

/**
 * The plugin `name` of `kind` (or the kind's default when `name` is undefined), importing its
 * package when needed. Rejects with a one-line PluginError saying what to install or type.
 */
export async function loadPlugin<K extends PluginKind>(
  kind: K,
  name: string | undefined,
  options: LoadOptions = {},
): Promise<RegisteredPlugin<K>> {
  if (name === undefined || name === "") return loadDefault(kind, options);
  const found = getPlugin(kind, name);
  if (found) return found;
  const conventional = `@micro/${kind}-${name.toLowerCase()}`;
  if (await importPackage(conventional, options.from)) {
    const loaded = getPlugin(kind, name);
    if (loaded) return loaded;
  }
  const inIndex = () =>
    index().find((e) => e.kind === kind && e.names.some((n) => n.toLowerCase() === name.toLowerCase()));
  let entry = inIndex();
  if (!entry) {
    await importPackage(DEFAULTS_PACKAGE, options.from);
    const bundled = getPlugin(kind, name);
    if (bundled) return bundled;
    entry = inIndex();
  }
  if (entry) {
    if (!(await importEntry(entry, options.from))) {
      throw new PluginError(
        MicroErrorCode.PluginNotFound,
        `${kind} "${name}" is in ${entry.package}, which is not installed: ${installCommand(options, entry.package)}`,
      );
    }
    const loaded = getPlugin(kind, name);
    if (loaded) return loaded;
    throw new PluginError(
      MicroErrorCode.PluginNotFound,
      `${entry.package} was loaded but did not register a ${kind} named "${name}"`,
    );
  }
  throw new PluginError(
    MicroErrorCode.PluginNotFound,
    notFoundMessage(kind, name, installCommand(options, conventional), !options.install),
  );
}

function notFoundMessage(kind: PluginKind, name: string, install: string, app: boolean): string {
  const known = new Set<string>();
  for (const p of listPlugins(kind)) for (const n of [p.name, ...(p.aliases ?? [])]) known.add(n);
  for (const e of index()) if (e.kind === kind) for (const n of e.names) known.add(n);
  const guess = closest(name, known);
  if (guess) return `unknown ${kind} "${name}": did you mean "${guess}"?`;
  const list = [...known].sort().join(", ");
  return (
    `unknown ${kind} "${name}"${list ? ` (known: ${list})` : ""}; ` +
    `if it is a plugin package, install ${app ? "and import " : ""}it (${install})`
  );
}

async function loadDefault<K extends PluginKind>(
  kind: K,
  options: LoadOptions,
): Promise<RegisteredPlugin<K>> {
  const found = await findWithDefaults(
    () => defaultPlugin(kind),
    options.from,
    (e) => e.kind === kind && e.default === true,
  );
  if (found) return found;
  throw new PluginError(
    MicroErrorCode.PluginNotFound,
    `no ${kind} chosen and none registered as the default: pass --${kind}=<name>, or install ${DEFAULTS_PACKAGE}`,
  );
}

/** The package that the index says serves `contentType`, if any. */
export function packageForContentType(contentType: string): string | undefined {
  return index().find((e) => e.kind === "codec" && e.contentTypes?.includes(contentType))?.package;
}

/**
 * Imports `pkg` resolved from `from`, then the application's directory, then the working
 * directory, so a plugin the app depends on is found even when core is installed elsewhere.
 * Resolves false when it is not installed.
 */
export function importPackage(pkg: string, from?: string): Promise<boolean> {
  // asked again for every request with an unknown Content-Type and every default lookup: resolve
  // (file system look-ups) and import each package once per process
  const key = `${pkg}\u0000${from ?? ""}`;
  let found = imports.get(key);
  if (!found) {
    found = resolveAndImport(pkg, from);
    imports.set(key, found);
  }
  return found;
}

const imports = new Map<string, Promise<boolean>>();

async function resolveAndImport(pkg: string, from?: string): Promise<boolean> {
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
