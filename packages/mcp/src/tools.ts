// Registry records → MCP tools: one tool per callable endpoint of each service, its schemas from the
// endpoint's request and response Values, its description from the endpoint's metadata.
import type { Endpoint, Service, Value } from "@micro/core";
import { type Dialect, dialectOf, requiredScopes, streamKind } from "@micro/gateway";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { describeEndpoint } from "./describe.js";
import type { FilterSubject } from "./filters.js";
import { assignNames, keyOf } from "./names.js";
import { isAnySchema, isObjectSchema, lenient, type Schema, ServiceSchemas } from "./schema.js";

/** Metadata keys of our tools (`_meta`), so a client can tell which endpoint a tool calls. */
export const META = {
  service: "micro/service",
  endpoint: "micro/endpoint",
  scopes: "micro/scopes",
  stream: "micro/stream",
  error: "micro/error",
} as const;

export type StreamMode = false | "server" | "unknown";

export interface ToolEntry {
  tool: Tool;
  service: string;
  endpoint: string;
  /**
   * A stream, collected into `messages` with each message also a progress notification: "server"
   * as advertised, or "unknown" for a go-micro stream whose kind the registry does not tell (its one
   * message is sent, then the sending side closed).
   */
  stream: StreamMode;
  /** Scopes from the endpoint's metadata (`scopes`, comma-separated), as the gateway reads them. */
  scopes: string[];
  /** The request is not a JSON object, so the tool takes it as its `request` argument. */
  wrapsRequest: boolean;
  /** The reply is not a JSON object, so structured content carries it as `result`. */
  wrapsReply: boolean;
  /** The tool declares an output schema, so a reply must be structured to be a success. */
  structured: boolean;
}

/** An endpoint that is no tool, and why (logged at debug level). */
export interface Skipped {
  service: string;
  endpoint: string;
  reason: string;
}

interface Candidate {
  service: string;
  endpoint: Endpoint;
  dialect: Dialect;
  serviceMetadata: Record<string, string>;
  stream: StreamMode;
}

/**
 * Tools for `services` (each name's records, all versions), sorted by name. `keep` is the operator's
 * filter; endpoints that cannot be one tool call (client and bidirectional streams, broker
 * subscribers) are reported in `skipped`.
 */
export function buildTools(
  services: ReadonlyMap<string, readonly Service[]>,
  keep: (s: FilterSubject) => boolean = () => true,
): { tools: ToolEntry[]; skipped: Skipped[] } {
  const candidates: Candidate[] = [];
  const skipped: Skipped[] = [];
  const bySchema = new Map<string, ServiceSchemas>();
  for (const [name, records] of services) {
    const merged = mergeVersions(records);
    const sources: { dialect: Dialect; values: Value[] }[] = [];
    for (const m of merged) {
      const e = m.endpoint;
      if (e.metadata?.subscriber === "true") {
        skipped.push({ service: name, endpoint: e.name, reason: "a broker subscriber, not callable" });
        continue;
      }
      const kind = streamKind(e, m.dialect);
      const unknownKind = kind === "bidi" && goStreamOfUnknownKind(e, m.dialect);
      if ((kind === "client" || kind === "bidi") && !unknownKind) {
        skipped.push({
          service: name,
          endpoint: e.name,
          reason: `a ${kind} stream: it takes messages after the first, which one tool call cannot send`,
        });
        continue;
      }
      const stream: StreamMode = unknownKind ? "unknown" : kind === "server" ? "server" : false;
      candidates.push({ ...m, service: name, stream });
      sources.push({ dialect: m.dialect, values: [e.request, e.response].filter((v): v is Value => !!v) });
    }
    bySchema.set(name, new ServiceSchemas(name, sources));
  }

  const names = assignNames(candidates.map((c) => ({ service: c.service, endpoint: c.endpoint.name })));
  const tools: ToolEntry[] = [];
  for (const c of candidates) {
    const name = names.get(keyOf({ service: c.service, endpoint: c.endpoint.name }))!;
    const subject: FilterSubject = {
      service: c.service,
      endpoint: c.endpoint.name,
      tool: name,
      endpointMetadata: c.endpoint.metadata ?? {},
      serviceMetadata: c.serviceMetadata,
    };
    if (!keep(subject)) continue;
    tools.push(toolOf(name, c, bySchema.get(c.service)!));
  }
  tools.sort((a, b) => cmp(a.tool.name, b.tool.name));
  return { tools, skipped };
}

function toolOf(name: string, c: Candidate, schemas: ServiceSchemas): ToolEntry {
  const e = c.endpoint;
  const metadata = e.metadata ?? {};
  const scopes = requiredScopes(metadata);
  const { description, example } = describeEndpoint(c.service, e.name, metadata, {
    stream: c.stream,
    scopes,
  });

  // input: the request's schema, which must be an object at the top
  const request =
    c.stream === "unknown"
      ? { description: "The stream's one message: go-micro does not advertise its type." }
      : schemas.fragment(e.request, c.dialect);
  let input: Schema;
  let wrapsRequest = false;
  if (isAnySchema(request)) input = { ...request, type: "object" };
  else if (isObjectSchema(request) || request.$ref !== undefined) input = request;
  else {
    wrapsRequest = true;
    input = { type: "object", properties: { request }, required: ["request"] };
  }
  input = schemas.complete(input, false);
  if (example !== undefined) input.examples = [wrapsRequest ? { request: example } : example];

  // output: the reply's schema, or for a server stream an object collecting its messages
  let output: Schema | undefined;
  let wrapsReply = false;
  const response = goStreamHandle(c, e.response) ? {} : schemas.fragment(e.response, c.dialect);
  if (c.stream) {
    output = {
      type: "object",
      properties: {
        messages: { type: "array", items: lenient(response, true) },
        truncated: {
          type: "boolean",
          description: "The stream was closed early: more messages than one result holds, or past its time.",
        },
      },
      required: ["messages"],
    };
  } else if (!isAnySchema(response)) {
    if (isObjectSchema(response) || response.$ref !== undefined) output = lenient(response, true);
    else {
      wrapsReply = true;
      output = { type: "object", properties: { result: lenient(response) }, required: ["result"] };
    }
  }
  if (output) output = schemas.complete(output, true);

  const tool: Tool = {
    name,
    description,
    inputSchema: input as Tool["inputSchema"],
    ...(output ? { outputSchema: output as NonNullable<Tool["outputSchema"]> } : {}),
    ...(metadata.idempotent === "false" ? { annotations: { idempotentHint: false } } : {}),
    _meta: {
      [META.service]: c.service,
      [META.endpoint]: e.name,
      ...(scopes.length ? { [META.scopes]: scopes } : {}),
      ...(c.stream ? { [META.stream]: c.stream } : {}),
    },
  };
  return {
    tool,
    service: c.service,
    endpoint: e.name,
    stream: c.stream,
    scopes,
    wrapsRequest,
    wrapsReply,
    structured: output !== undefined,
  };
}

/** go-micro advertises a Go stream's reply as the stream's own interface type. */
function goStreamHandle(c: Candidate, v: Value | undefined): boolean {
  return !!c.stream && c.dialect === "go" && !!v && !v.values?.length && /Stream$/.test(v.type);
}

/**
 * A go-micro stream registered as `Method(ctx, stream)`, which is how protoc-gen-micro registers
 * every stream, server streams included: the extractor then takes context.Context for the request,
 * and nothing in the record tells a server stream from a bidirectional one.
 */
function goStreamOfUnknownKind(e: Endpoint, dialect: Dialect): boolean {
  const r = e.request;
  return (
    dialect === "go" &&
    e.metadata?.stream === "true" &&
    !e.metadata?.stream_kind &&
    !!r &&
    r.type === "Context" &&
    !r.values?.length
  );
}

interface Merged {
  endpoint: Endpoint;
  dialect: Dialect;
  serviceMetadata: Record<string, string>;
}

/**
 * The endpoints of all versions of a service that has a node, each from the newest version that
 * has it: during a rolling upgrade the tool describes what most calls will soon reach.
 */
function mergeVersions(records: readonly Service[]): Merged[] {
  const live = records.filter((r) => r.nodes?.length).sort((a, b) => newestFirst(a.version, b.version));
  const out = new Map<string, Merged>();
  for (const r of live) {
    const dialect = dialectOf(r);
    for (const e of r.endpoints ?? []) {
      if (!e?.name || out.has(e.name)) continue;
      out.set(e.name, { endpoint: e, dialect, serviceMetadata: r.metadata ?? {} });
    }
  }
  return [...out.values()];
}

/** "v10" before "v9", "1.10.0" before "1.9.0". */
function newestFirst(a = "", b = ""): number {
  const x = a.split(/(\d+)/);
  const y = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? "";
    const q = y[i] ?? "";
    if (p === q) continue;
    if (i % 2 === 1 && p !== "" && q !== "") return Number(q) - Number(p);
    return cmp(q, p);
  }
  return 0;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
