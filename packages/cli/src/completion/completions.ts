// Candidates for the word being typed (the last of `words`): command words, then the command's
// flags, plugin names for --registry/--broker/..., and service and endpoint names from the
// registry, asked with a short deadline so a slow registry never freezes the shell.
import { listPlugins, type PluginKind } from "@micro/core";
import { allFlagSpecs, pluginIndex } from "@micro/core/internal";
import { COMMON_OPTIONS } from "../args.js";
import { type Command, makeService } from "../command.js";
import { SHELLS } from "./scripts.js";

const PLUGIN_FLAGS: Record<string, PluginKind> = {
  registry: "registry",
  broker: "broker",
  transport: "transport",
  selector: "selector",
};

/** Positional argument kinds by command name: what the n-th argument after the name is. */
const POSITIONALS: Record<string, ("service" | "endpoint" | "shell")[]> = {
  describe: ["service"],
  health: ["service"],
  call: ["service", "endpoint"],
  stream: ["service", "endpoint"],
  completion: ["shell"],
};

/** Registered plugins and those the package index knows: the rest load when chosen. */
const pluginNames = (kind: PluginKind) => [
  ...listPlugins(kind).map((p) => p.name),
  ...pluginIndex()
    .filter((e) => e.kind === kind)
    .flatMap((e) => e.names),
];

const withTimeout = <T>(p: Promise<T>, ms: number, fallback: T) =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);

async function fromRegistry(
  words: string[],
  what: "service" | "endpoint",
  service?: string,
): Promise<string[]> {
  const svc = makeService(words, false);
  try {
    const { registry } = await withTimeout(svc.stack(), 2_000, undefined as never);
    if (what === "service") return (await withTimeout(registry.listServices(), 2_000, [])).map((s) => s.name);
    const versions = await withTimeout(registry.getService(service!), 2_000, []);
    return versions.flatMap((s) => s.endpoints.map((e) => e.name));
  } catch {
    return [];
  } finally {
    void svc.stop().catch(() => {});
  }
}

export async function complete(commands: readonly Command[], words: string[]): Promise<string[]> {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  const starts = (list: Iterable<string>) => [...new Set(list)].filter((c) => c.startsWith(current)).sort();
  const globals = allFlagSpecs();
  const globalNames = new Set(globals.map((g) => g.name));

  // the value of the flag just typed
  const prev = before.at(-1);
  if (prev?.startsWith("--")) {
    const name = prev.slice(2).replaceAll("-", "_");
    if (name === "output") return starts(["table", "json"]);
    if (PLUGIN_FLAGS[name]) return starts(pluginNames(PLUGIN_FLAGS[name]));
    if (globalNames.has(name)) return [];
  }

  // positionals typed so far, skipping flags and the values of global flags
  const positionals: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    if (!w.startsWith("-")) positionals.push(w);
    else if (!w.includes("=") && globalNames.has(w.replace(/^--?/, "").replaceAll("-", "_"))) i++;
  }
  const visible = commands.filter((c) => !c.hidden);
  const matched = visible
    .flatMap((c) => c.names.map((n) => ({ c, n })))
    .filter(({ n }) => n.every((w, i) => positionals[i] === w))
    .sort((a, b) => b.n.length - a.n.length)[0];

  if (current.startsWith("-")) {
    const own = matched ? matched.c.options : [];
    return starts(
      [...own, ...COMMON_OPTIONS].map((o) => `--${o.name}`).concat(globals.map((g) => `--${g.name}`)),
    );
  }
  if (!matched || (positionals.length < 2 && !matched.c.names.some((n) => n.length === positionals.length))) {
    // still choosing the command: the next word of every spelling that fits what was typed
    const next = visible.flatMap((c) =>
      c.names
        .filter((n) => n.length > positionals.length && positionals.every((w, i) => n[i] === w))
        .map((n) => n[positionals.length]!),
    );
    if (!matched || next.length) return starts(next);
  }
  const args = positionals.slice(matched.n.length);
  const kind = POSITIONALS[matched.c.names[0]![0]!]?.[args.length];
  if (kind === "shell") return starts(Object.keys(SHELLS));
  if (kind === "service") return starts(await fromRegistry(words, "service"));
  if (kind === "endpoint") return starts(await fromRegistry(words, "endpoint", args[0]));
  return [];
}
