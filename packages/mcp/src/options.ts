// The MCP server's options and their defaults, each default in this one place.
import { createRequire } from "node:module";
import type { Client, Logger, MicroService, Registry } from "@micro/core";
import type { ToolFilters } from "./filters.js";

export interface McpOptions {
  /** The mesh: a service whose client and registry the server uses (a client-only one will do). */
  service?: MicroService;
  client?: Client;
  registry?: Registry;
  logger?: Logger;
  /** Which endpoints become tools: service, service.Endpoint or key=value patterns, globs allowed. */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Calls per second allowed to each tool, across all callers (go-micro's per-tool limit); off when absent. */
  toolRateLimit?: { rate: number; burst?: number };
  /** Whole-call timeout of a tool call, ms (default 30 000, go-micro's request timeout). */
  timeout?: number;
  /**
   * Longest one stream tool call may run, ms (default 50 000, inside the 60 s an SDK client waits by
   * default); then the stream is closed and the messages so far are the result, `truncated: true`.
   */
  streamTimeout?: number;
  /** Messages of a server stream one result collects before the stream is closed (default 1000). */
  maxStreamMessages?: number;
  /** Tools per tools/list page (default 500). */
  pageSize?: number;
  /** ms a burst of registry events is gathered into one tool-list update (default 50). */
  debounce?: number;
  /** `serverInfo` of the initialize result (default "micro" and this package's version). */
  name?: string;
  version?: string;
  /** `instructions` of the initialize result: how an agent should use these tools. */
  instructions?: string;
}

export interface ResolvedMcpOptions {
  filters: ToolFilters;
  toolRateLimit: { rate: number; burst?: number } | undefined;
  timeout: number;
  streamTimeout: number;
  maxStreamMessages: number;
  pageSize: number;
  debounce: number;
  name: string;
  version: string;
  instructions: string;
}

/** This package's version (src/ and dist/ both sit next to package.json). */
export const VERSION: string = createRequire(import.meta.url)("../package.json").version;

const INSTRUCTIONS =
  "Each tool calls one endpoint of a service in a Micro mesh (tool name: service.Endpoint). " +
  "Arguments are the endpoint's JSON request. A failed call returns isError with go-micro's error " +
  "JSON ({id, code, detail, status}); a 4xx code means the request should change.";

export function resolveOptions(o: McpOptions): ResolvedMcpOptions {
  const positive = (v: number | undefined, name: string, dflt: number) => {
    if (v === undefined) return dflt;
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`mcp: ${name} must be a positive number`);
    return v;
  };
  return {
    filters: { include: [...(o.include ?? [])], exclude: [...(o.exclude ?? [])] },
    toolRateLimit: o.toolRateLimit,
    timeout: positive(o.timeout, "timeout", 30_000),
    streamTimeout: positive(o.streamTimeout, "streamTimeout", 50_000),
    maxStreamMessages: Math.floor(positive(o.maxStreamMessages, "maxStreamMessages", 1000)),
    pageSize: Math.floor(positive(o.pageSize, "pageSize", 500)),
    debounce: o.debounce ?? 50,
    name: o.name ?? "micro",
    version: o.version ?? VERSION,
    instructions: o.instructions ?? INSTRUCTIONS,
  };
}
