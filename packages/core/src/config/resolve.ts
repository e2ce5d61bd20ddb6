// Options are resolved once, by one precedence: code option < MICRO_* env < --flag.
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";
import type { Config } from "./core-flags.js";
import { checkCodeValue, envNames, type FlagSpec, formatDefault, parseFlagText } from "./flag-spec.js";

export interface ConfigSources {
  /** Values given in code, by flag name, already typed (durations in ms). */
  options?: Readonly<Record<string, unknown>>;
  env?: Readonly<Record<string, string | undefined>>;
  argv?: readonly string[];
}

const flagName = (arg: string) => arg.slice(2).replaceAll("-", "_");

/** Parses `--name=value`, `--name value`, `--bool` (and `-` for `_`) for the known flags. */
export function parseArgv(argv: readonly string[], specs: readonly FlagSpec[]): Record<string, string> {
  const known = new Map(specs.map((s) => [s.name, s]));
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--") || a === "--") continue;
    const eq = a.indexOf("=");
    const name = flagName(eq >= 0 ? a.slice(0, eq) : a);
    const spec = known.get(name);
    if (!spec) continue;
    if (eq >= 0) out[name] = a.slice(eq + 1);
    else if (spec.type === "bool") out[name] = "true";
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith("--")) out[name] = argv[++i]!;
    else out[name] = "";
  }
  return out;
}

/** The `--flags` in argv that no spec knows, as typed (without the dashes). */
export function unknownFlags(argv: readonly string[], specs: readonly FlagSpec[]): string[] {
  const known = new Set(specs.map((s) => s.name));
  const out: string[] = [];
  for (const a of argv) {
    if (a === "--") break;
    if (!a.startsWith("--")) continue;
    const eq = a.indexOf("=");
    const raw = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (raw === "help" || raw === "debug") continue;
    if (!known.has(raw.replaceAll("-", "_"))) out.push(raw);
  }
  return out;
}

/** Resolves every spec to its typed value; throws a PluginError naming the flag on a bad value. */
export function resolveConfig(specs: readonly FlagSpec[], sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const argv = parseArgv(sources.argv ?? [], specs);
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const fromArgv = argv[spec.name];
    // `--flag=` with nothing after it leaves a typed flag unset, as an empty env var does
    if (fromArgv !== undefined && (fromArgv !== "" || (spec.type ?? "string") === "string")) {
      out[spec.name] = parseFlagText(spec, fromArgv, `--${spec.name}`);
      continue;
    }
    const envName = envNames(spec).find((n) => env[n] !== undefined && env[n] !== "");
    if (envName) {
      out[spec.name] = parseFlagText(spec, env[envName]!, envName);
      continue;
    }
    const code = sources.options?.[spec.name];
    if (code !== undefined) {
      out[spec.name] = checkCodeValue(spec, code, `option ${spec.name}`);
      continue;
    }
    if (spec.default !== undefined) out[spec.name] = cloneDefault(spec.default);
    else if (spec.type === "list") out[spec.name] = [];
    else if (spec.type === "map") out[spec.name] = {};
  }
  return out as Config;
}

function cloneDefault(v: unknown): unknown {
  return typeof v === "object" && v !== null ? structuredClone(v) : v;
}

/** Merges specs by name (the first of a name wins) and refuses two types for one name. */
export function mergeSpecs(groups: Iterable<readonly FlagSpec[]>): FlagSpec[] {
  const seen = new Map<string, FlagSpec>();
  for (const group of groups) {
    for (const spec of group) {
      const prev = seen.get(spec.name);
      if (!prev) seen.set(spec.name, spec);
      else if ((prev.type ?? "string") !== (spec.type ?? "string")) {
        throw new PluginError(
          MicroErrorCode.PluginInvalid,
          `flag --${spec.name} is declared as ${prev.type ?? "string"} and as ${spec.type ?? "string"}`,
        );
      }
    }
  }
  return [...seen.values()];
}

/** Help text: one line per flag with its default and env var. */
export function usage(specs: readonly FlagSpec[]): string {
  return specs
    .map((s) => {
      const d = formatDefault(s);
      const def = d === undefined ? "" : ` (default ${d})`;
      const value = s.type === "bool" ? "" : " value";
      return `  --${(s.name + value).padEnd(32)} ${s.description}${def} [$${envNames(s).join(", $")}]`;
    })
    .join("\n");
}
