// A flag has one spelling per source (--name, MICRO_NAME, a code option) and one type; every source
// is parsed into that type once, so the service, client, server and plugins read typed values.
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";
import { parseDuration, parseKeyValues, splitList } from "./parse.js";

/** What a flag's value is once parsed. `duration` values are milliseconds. */
export interface FlagValueTypes {
  string: string;
  int: number;
  duration: number;
  bool: boolean;
  list: string[];
  map: Record<string, string>;
}
export type FlagType = keyof FlagValueTypes;

/** A command-line flag (core's or a plugin's), also readable from its env var. */
export interface FlagSpec<T extends FlagType = FlagType> {
  /** go-micro style name with underscores: `registry_address`. `--registry-address` also works. */
  name: string;
  /** Env var(s), first set wins. Defaults to MICRO_<NAME upper-cased>. */
  env?: string | readonly string[];
  description: string;
  /** Default `string`. */
  type?: T;
  /** For `duration`: the unit of a bare number (go-micro's `register_ttl` is seconds). Default ms. */
  unit?: "s" | "ms";
  default?: FlagValueTypes[T];
  /** For `string`: the values allowed (compared in lower case); anything else is refused. */
  values?: readonly string[];
  /** For `int`: the smallest value allowed (`--server_workers` needs at least 1). */
  min?: number;
}

export function envNames(spec: FlagSpec): readonly string[] {
  if (spec.env === undefined) return [`MICRO_${spec.name.toUpperCase()}`];
  return typeof spec.env === "string" ? [spec.env] : spec.env;
}

function invalid(where: string, message: string): PluginError {
  return new PluginError(MicroErrorCode.InvalidOption, `${where}: ${message}`);
}

/** Parses text from argv or env into the flag's type; `where` names the source in the error. */
export function parseFlagText(spec: FlagSpec, text: string, where: string): unknown {
  switch (spec.type ?? "string") {
    case "string":
      return spec.values ? oneOf(spec, text, where) : text;
    case "int": {
      const n = Number(text.trim());
      if (!Number.isInteger(n) || text.trim() === "")
        throw invalid(where, `expected an integer, got "${text}"`);
      return atLeast(spec, n, where, `"${text}"`);
    }
    case "duration":
      try {
        return parseDuration(text, spec.unit ?? "ms");
      } catch {
        const bare = spec.unit === "s" ? "seconds" : "milliseconds";
        throw invalid(
          where,
          `expected a duration such as 500ms, 30s or 1m (a bare number is ${bare}), got "${text}"`,
        );
      }
    case "bool": {
      const v = text.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(v)) return true;
      if (["false", "0", "no", "off"].includes(v)) return false;
      throw invalid(where, `expected true or false, got "${text}"`);
    }
    case "list":
      return splitList(text);
    case "map":
      return parseKeyValues(text);
  }
}

function atLeast(spec: FlagSpec, n: number, where: string, shown: string): number {
  if (Number.isInteger(n) && (spec.min === undefined || n >= spec.min)) return n;
  throw invalid(where, `expected an integer of at least ${spec.min}, got ${shown}`);
}

function oneOf(spec: FlagSpec, text: string, where: string): string {
  const v = text.trim().toLowerCase();
  if (spec.values!.includes(v)) return v;
  throw invalid(where, `expected one of ${spec.values!.join(", ")}, got "${text}"`);
}

/** Checks a value given in code against the flag's type (code options are already typed). */
export function checkCodeValue(spec: FlagSpec, value: unknown, where: string): unknown {
  const type = spec.type ?? "string";
  const ok =
    (type === "string" && typeof value === "string") ||
    ((type === "int" || type === "duration") && typeof value === "number" && Number.isFinite(value)) ||
    (type === "bool" && typeof value === "boolean") ||
    (type === "list" && Array.isArray(value) && value.every((v) => typeof v === "string")) ||
    (type === "map" && typeof value === "object" && value !== null && !Array.isArray(value));
  if (!ok)
    throw invalid(
      where,
      `expected ${type === "duration" ? "milliseconds (a number)" : `a ${type}`}, got ${JSON.stringify(value)}`,
    );
  if (type === "int" && spec.min !== undefined) return atLeast(spec, value as number, where, String(value));
  return spec.values ? oneOf(spec, value as string, where) : value;
}

/** How a flag's default reads in help. */
export function formatDefault(spec: FlagSpec): string | undefined {
  const d = spec.default;
  if (d === undefined) return undefined;
  if (spec.type === "duration" && typeof d === "number") {
    if (d % 3_600_000 === 0 && d > 0) return `${d / 3_600_000}h`;
    if (d % 60_000 === 0 && d > 0) return `${d / 60_000}m`;
    if (d % 1000 === 0 && d > 0) return `${d / 1000}s`;
    return `${d}ms`;
  }
  if (Array.isArray(d)) return d.join(",");
  if (typeof d === "object")
    return Object.entries(d)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
  return String(d);
}
