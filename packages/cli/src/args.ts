// A small argv parser: no framework dependency, because the global flags come from core's plugin
// table at run time (allFlagSpecs) and a framework would want them declared up front.
import { allFlagSpecs } from "@micro/core/internal";

export interface OptionSpec {
  name: string;
  short?: string;
  /** bool: no value; list: repeatable, collected in order. */
  type: "string" | "bool" | "list";
  description: string;
}

export interface Parsed {
  positionals: string[];
  options: Record<string, string | boolean | string[]>;
  /** Global go-micro flags as `--name=value`, handed to core's resolution (flag > env > default). */
  global: string[];
}

export class UsageError extends Error {
  override name = "UsageError";
}

/** Options every command understands. */
export const COMMON_OPTIONS: OptionSpec[] = [
  { name: "output", short: "o", type: "string", description: "Output format: table or json (default table)" },
  { name: "help", short: "h", type: "bool", description: "Show help for the command" },
  { name: "debug", type: "bool", description: "Log plugin activity and print stack traces" },
];

export function parse(argv: readonly string[], specs: readonly OptionSpec[]): Parsed {
  const all = [...COMMON_OPTIONS, ...specs];
  const byName = new Map(all.map((s) => [s.name, s]));
  const byShort = new Map(all.filter((s) => s.short).map((s) => [s.short!, s]));
  const globals = new Map(allFlagSpecs().map((s) => [s.name, s]));
  const out: Parsed = { positionals: [], options: {}, global: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let key: string;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      // go-micro spells flags with underscores; accept dashes too
      spec = byName.get(key) ?? byName.get(key.replaceAll("_", "-"));
      const g = key.replaceAll("-", "_");
      if (!spec && globals.has(g)) {
        if (globals.get(g)!.type === "bool" && inline === undefined) {
          out.global.push(`--${g}`);
          continue;
        }
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`flag --${key} needs a value`);
        out.global.push(`--${g}=${v}`);
        continue;
      }
    } else if (a.startsWith("-") && a.length > 1 && !/^-\d/.test(a)) {
      key = a.slice(1, 2);
      spec = byShort.get(key);
      inline = a.length > 2 ? a.slice(2).replace(/^=/, "") : undefined;
    } else {
      out.positionals.push(a);
      continue;
    }
    if (!spec) throw new UsageError(`unknown flag ${a.split("=")[0]}`);
    if (spec.type === "bool") {
      out.options[spec.name] = inline === undefined ? true : inline !== "false";
      continue;
    }
    const v = inline ?? argv[++i];
    if (v === undefined) throw new UsageError(`flag --${spec.name} needs a value`);
    if (spec.type === "list") {
      const prev = out.options[spec.name];
      out.options[spec.name] = [...(Array.isArray(prev) ? prev : []), v];
    } else out.options[spec.name] = v;
  }
  return out;
}

/** `K:V` pairs (go-micro's -H/-m syntax); `K=V` accepted too. */
export function keyValues(list: unknown, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of Array.isArray(list) ? (list as string[]) : []) {
    const i = item.search(/[:=]/);
    if (i <= 0) throw new UsageError(`${flag} wants KEY:VALUE, got "${item}"`);
    out[item.slice(0, i).trim()] = item.slice(i + 1).trim();
  }
  return out;
}
