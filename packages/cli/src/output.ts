// Output helpers: tables for people, JSON for scripts; progress and errors go to stderr so stdout
// stays parseable.

import { MicroError } from "@micro/core";
import { bigintAsNumber } from "@micro/core/plugin-kit";
import { UsageError } from "./args.js";

export type Format = "table" | "json";

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Progress notes for long operations; only on a terminal or with --debug, never on stdout. */
  progress(line: string): void;
}

export function formatOf(v: unknown): Format {
  if (v === undefined || v === "table") return "table";
  if (v === "json") return "json";
  throw new UsageError(`--output must be table or json, got "${String(v)}"`);
}

/** Left-aligned columns, header in capitals, two spaces between columns; no trailing blanks. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** `k=v,k=v` sorted by key, or "-" when empty: metadata in one table cell. */
export function pairs(map: Record<string, string> | undefined | null): string {
  const entries = Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(",") : "-";
}

/** The first line of a message: library errors sometimes carry whole stack-like paragraphs. */
const firstLine = (s: string) => s.split("\n")[0]!.trim();

/**
 * One line for people (`error: ...`), or one JSON object for scripts; the stack only with --debug.
 */
export function describeError(err: unknown, debug: boolean, format: Format = "table"): string {
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : "";
  if (format === "json") {
    const body =
      err instanceof MicroError
        ? err.toJSON()
        : { id: "micro", code: 0, detail: err instanceof Error ? err.message : String(err), status: "" };
    return JSON.stringify({ error: body }) + stack;
  }
  if (err instanceof MicroError) {
    const meta = [
      err.id ? `id=${err.id}` : "",
      err.code ? `code=${err.code}` : "",
      err.status ? `status=${JSON.stringify(err.status)}` : "",
    ].filter(Boolean);
    return `error: ${firstLine(err.detail || err.message || "(no detail)")}${meta.length ? ` (${meta.join(" ")})` : ""}${stack}`;
  }
  if (err instanceof UsageError) return `error: ${err.message} (see 'micro --help')${stack}`;
  if (err instanceof Error) return `error: ${firstLine(err.message)}${stack}`;
  return `error: ${String(err)}`;
}

// Go services send int64 and uint64 beyond 2^53 as bare JSON numbers, which a JS number rounds; the
// CLI reads them as the JSON codec does (parseJSON from @micro/codec-json: exact bigints) and prints
// them with every digit.

/** JSON.stringify that writes a bigint as the bare JSON number, every digit kept. */
export function stringifyJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, bigintAsNumber, indent);
}

export function parseJsonArg(text: string | undefined, what: string): string {
  const t = text ?? "{}";
  try {
    JSON.parse(t);
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  return t;
}
