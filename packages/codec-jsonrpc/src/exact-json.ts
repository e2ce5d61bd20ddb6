// Parsing an envelope and re-encoding the value inside it must not change a single number: a Go
// peer's int64 beyond 2^53, or a float written as 1.0, reaches the inner codec with its own text.

interface ReviverContext {
  source?: string;
}

interface RawJSONApi {
  rawJSON(text: string): unknown;
  isRawJSON(value: unknown): boolean;
}

const api = JSON as unknown as Partial<RawJSONApi>;
const exact = typeof api.rawJSON === "function" && typeof api.isRawJSON === "function";

function keepNumberText(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && context?.source) return api.rawJSON!(context.source);
  return value;
}

/** JSON.parse where every number keeps its source text (Node 22+; plain numbers elsewhere). */
export function parseExact(text: string): unknown {
  return exact ? JSON.parse(text, keepNumberText as (k: string, v: unknown) => unknown) : JSON.parse(text);
}

/** The text of a value from parseExact, numbers written as they were received. */
export function stringifyExact(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** A JSON-RPC id as the string Micro uses: strings as is, numbers by their text, null as "". */
export function idText(id: unknown): string | undefined {
  if (id === null || id === undefined) return "";
  if (typeof id === "string") return id;
  if (typeof id === "number") return String(id);
  if (exact && api.isRawJSON!(id)) return (id as { rawJSON: string }).rawJSON;
  return undefined;
}
