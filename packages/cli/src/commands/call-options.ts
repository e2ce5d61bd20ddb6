// Flags shared by `call`, `stream` and `health`, and their translation into core CallOptions.

import { parseJSON } from "@micro/codec-json";
import { type CallOptions, Frame } from "@micro/core";
import { parseDuration } from "@micro/core/plugin-kit";
import { keyValues, type OptionSpec, UsageError } from "../args.js";
import type { Runtime } from "../command.js";
import { stringifyJson } from "../output.js";

export const CALL_OPTIONS: OptionSpec[] = [
  { name: "header", short: "H", type: "list", description: "Request header KEY:VALUE (repeatable)" },
  { name: "metadata", short: "m", type: "list", description: "Request metadata KEY:VALUE (repeatable)" },
  { name: "address", type: "string", description: "Call host:port directly, bypassing discovery" },
  { name: "timeout", type: "string", description: "Whole-call timeout, Go duration (default 30s)" },
  {
    name: "retries",
    type: "string",
    description: "Extra attempts after the first (408s and dial errors; default 5)",
  },
  {
    name: "content-type",
    type: "string",
    description: "Content-Type of the request (default application/json)",
  },
];

function duration(value: string, flag: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new UsageError(`${flag} wants a duration such as 500ms, 5s or 1m, got "${value}"`);
  }
}

export function callOptions(rt: Runtime): CallOptions {
  const o = rt.args.options;
  // go-micro's call puts -H and -m alike into the request metadata, which travels as headers
  const metadata = { ...keyValues(o.header, "--header"), ...keyValues(o.metadata, "--metadata") };
  const out: CallOptions = {
    metadata,
    contentType: (o["content-type"] as string) ?? "application/json",
    signal: rt.signal,
  };
  if (typeof o.address === "string") out.address = o.address;
  if (typeof o.timeout === "string") {
    // one slow attempt may use the whole budget: a user who asks for 60s means it
    out.timeout = duration(o.timeout, "--timeout");
    out.attemptTimeout = out.timeout;
  }
  if (typeof o.retries === "string") {
    const n = Number(o.retries);
    if (!Number.isInteger(n) || n < 0)
      throw new UsageError(`--retries wants a whole number, got "${o.retries}"`);
    out.retries = n;
  }
  return out;
}

/**
 * A response in the chosen format: indented for people, one compact line for scripts. Integers
 * beyond 2^53 (bigints from the codec) are printed with every digit.
 */
export function render(value: unknown, format: "table" | "json"): string {
  const v = value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
  return format === "json" ? stringifyJson(v) : stringifyJson(v, 2);
}

/**
 * JSON text goes out verbatim (a Frame, every digit kept) when the content type is JSON; for any
 * other codec (msgpack, bson...) the parsed value is encoded by that codec, integers beyond 2^53 as
 * bigints (int64 for both).
 */
export function requestBody(json: string, contentType: string | undefined): unknown {
  const isJson = !contentType || /^application\/json\b/.test(contentType);
  return isJson ? new Frame(new TextEncoder().encode(json)) : parseJSON(json);
}
