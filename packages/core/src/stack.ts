// Resolves the plugins a service uses: instances given in code win; names come from flags/env/code
// and are looked up in the plugin table, importing conventional packages on demand.
import { readFileSync } from "node:fs";
import type { Broker } from "./broker.js";
import { CORE_FLAGS, type ResolveSources, resolveFlags, splitList } from "./flags.js";
import type { Logger } from "./logger.js";
import {
  type FlagSpec,
  listPlugins,
  loadPlugin,
  type PluginContext,
  type PluginKind,
  type PluginKinds,
} from "./plugins.js";
import type { Registry } from "./registry.js";
import type { Selector } from "./selector.js";
import type { TLSOptions, Transport } from "./transport.js";

export interface Stack {
  registry: Registry;
  transport: Transport;
  broker: Broker;
  selector: Selector;
  flags: Record<string, string | undefined>;
}

export interface StackOptions {
  registry?: string | Registry;
  transport?: string | Transport;
  broker?: string | Broker;
  selector?: string | Selector;
  tls?: TLSOptions;
  logger: Logger;
}

export function allFlagSpecs(): FlagSpec[] {
  const seen = new Set<string>();
  const out: FlagSpec[] = [];
  for (const spec of [...CORE_FLAGS, ...listPlugins().flatMap((p) => p.flags ?? [])]) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    out.push(spec);
  }
  return out;
}

export function tlsFromFlags(flags: Record<string, string | undefined>): TLSOptions | undefined {
  const { tls_cert_file: cert, tls_key_file: key, tls_ca_file: ca, tls_secure: secure } = flags;
  if (!cert && !key && !ca) return undefined;
  const tls: TLSOptions = { insecureSkipVerify: secure !== "true" };
  if (cert) tls.cert = readFileSync(cert);
  if (key) tls.key = readFileSync(key);
  if (ca) tls.ca = readFileSync(ca);
  return tls;
}

export async function resolveStack(options: StackOptions, sources: ResolveSources): Promise<Stack> {
  // names given in code arrive through `sources.options`, below env and flags
  const name = (kind: PluginKind, _given: unknown, flags: Record<string, string | undefined>) => flags[kind];
  // load the chosen plugins first so their own flags are part of the resolution
  let flags = resolveFlags(allFlagSpecs(), sources);
  for (const kind of ["registry", "transport", "broker", "selector"] as const) {
    if (typeof options[kind] !== "object") await loadPlugin(kind, name(kind, options[kind], flags)!);
  }
  flags = resolveFlags(allFlagSpecs(), sources);
  const tls = options.tls ?? tlsFromFlags(flags);
  const ctx = (kind: PluginKind, extra: Partial<PluginContext> = {}): PluginContext => ({
    addresses: splitList(flags[`${kind}_address`]),
    flags,
    logger: options.logger,
    ...(tls ? { tls } : {}),
    ...extra,
  });
  const make = async <K extends PluginKind>(kind: K, given: unknown, extra?: Partial<PluginContext>) => {
    if (given && typeof given === "object") return given as PluginKinds[K];
    const def = await loadPlugin(kind, name(kind, given, flags)!);
    return def.create(ctx(kind, extra)) as PluginKinds[K];
  };
  const registry = await make("registry", options.registry);
  const transport = await make("transport", options.transport);
  const broker = await make("broker", options.broker, { registry });
  const selector = await make("selector", options.selector, { registry });
  return { registry, transport, broker, selector, flags };
}
