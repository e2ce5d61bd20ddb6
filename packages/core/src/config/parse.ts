// Text forms go-micro's flags use: Go durations, comma lists, key=value lists.
import { MicroErrorCode, PluginError } from "../plugin/plugin-error.js";

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * A Go duration string ("300ms", "1m30s") in ms; a bare number is read in `bareUnit`
 * (seconds for go-micro's register_ttl, ms elsewhere in this API).
 */
export function parseDuration(value: string | number, bareUnit: "s" | "ms" = "ms"): number {
  if (typeof value === "number") return bareUnit === "s" ? value * 1000 : value;
  const v = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v) * (bareUnit === "s" ? 1000 : 1);
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== v.length || v.length === 0) {
    throw new PluginError(
      MicroErrorCode.InvalidOption,
      `invalid duration "${value}" (expected e.g. 500ms, 5s, 1m)`,
    );
  }
  return total;
}

export function splitList(v: string | undefined): string[] {
  return v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** `a=b,c=d` -> {a: "b", c: "d"} */
export function parseKeyValues(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of splitList(v)) {
    const i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
