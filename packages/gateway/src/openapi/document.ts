// The gateway's API as an OpenAPI 3.1 document, built from registry records alone, so it describes
// Go and TypeScript services alike and can be rebuilt whenever the registry changes.
import type { Endpoint, Service, Value } from "@micro/core";
import { isGoContext, isGoStreamHandle, type StreamKind, streamKind } from "../registry/endpoint-kind.js";
import {
  buildSchemaSet,
  cmp,
  type Dialect,
  dialectOf,
  type JsonSchema,
  type SchemaSource,
} from "./schema.js";

export interface OpenApiOptions {
  /** `info.title` (default "Micro API"). */
  title?: string;
  /** `info.version`: the version of this document, not of any service (default "1.0.0"). */
  version?: string;
  /** Absolute or relative URL of the gateway; when absent, clients use the document's own origin. */
  serverUrl?: string;
  /** Where the RPC routes live (default "/api"). */
  basePath?: string;
  /** Adds a bearer token security scheme required by every operation. */
  auth?: boolean;
}

export interface MediaType {
  schema: JsonSchema;
  example?: unknown;
}

export interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
}

export type Reference = { $ref: string };

export interface ParameterObject {
  name: string;
  in: "header" | "query" | "path" | "cookie";
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OperationObject {
  operationId: string;
  tags: string[];
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | Reference>;
  security?: Record<string, string[]>[];
  deprecated?: boolean;
  "x-micro-service": string;
  "x-micro-endpoint": string;
  /** Versions of the service that advertise this endpoint, when not all of them do. */
  "x-micro-versions"?: string[];
  "x-micro-stream"?: StreamKind;
  /** For streams: the schema of each JSON text frame in either direction. */
  "x-micro-messages"?: { send: JsonSchema; receive: JsonSchema };
  "x-micro-scopes"?: string[];
  "x-micro-idempotent"?: boolean;
}

export interface PathItem {
  post?: OperationObject;
  get?: OperationObject;
}

export interface TagObject {
  name: string;
  description?: string;
  "x-micro-versions": string[];
}

export interface SecurityScheme {
  type: "http";
  scheme: "bearer";
  description?: string;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  jsonSchemaDialect: string;
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags: TagObject[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    securitySchemes?: Record<string, SecurityScheme>;
  };
  security?: Record<string, string[]>[];
}

const ERROR_SCHEMA = "MicroError";
// go-micro's extractor sees a stream handle where the message type would be
const NOT_ADVERTISED: JsonSchema = { description: "message type not advertised by go-micro for streams" };
const BEARER = "bearerAuth";

// The statuses the gateway answers with go-micro's error JSON; the code field equals the status.
const ERRORS: [status: string, name: string, description: string][] = [
  ["400", "BadRequest", "Bad request: the body is not valid JSON or the service rejected it"],
  ["401", "Unauthorized", "Unauthorized: no valid credentials"],
  ["403", "Forbidden", "Forbidden: the credentials do not allow this call"],
  ["404", "NotFound", "Not found: no such service or endpoint"],
  ["408", "Timeout", "Timeout: the call did not finish within its deadline"],
  ["409", "Conflict", "Conflict"],
  ["413", "PayloadTooLarge", "Request body too large"],
  ["429", "TooManyRequests", "Too many requests: rate limited"],
  ["500", "InternalServerError", "Internal server error"],
  ["502", "BadGateway", "Bad gateway: the service could not be reached"],
  ["503", "ServiceUnavailable", "Service unavailable: no node of the service is available"],
];

function microErrorSchema(): JsonSchema {
  // go-micro's errors.Error tags every field omitempty, so none is required
  return {
    title: ERROR_SCHEMA,
    description: "go-micro's error JSON; `code` equals the HTTP status",
    type: "object",
    properties: {
      id: { type: "string", description: "the service that returned the error" },
      code: { type: "integer", format: "int32" },
      detail: { type: "string" },
      status: { type: "string", description: "the HTTP status text of code" },
    },
  };
}

function operationIdOf(service: string, endpoint: string): string {
  return `${service}.${endpoint}`.replace(/[^A-Za-z0-9._-]/g, "_");
}

function normaliseBase(basePath: string | undefined): string {
  const b = (basePath ?? "/api").trim().replace(/\/+$/, "");
  return b === "" ? "" : b.startsWith("/") ? b : `/${b}`;
}

/** Newest first: "v10" after "v9", "1.10.0" after "1.9.0". */
function byVersionDesc(a: string, b: string): number {
  const na = a.split(/(\d+)/);
  const nb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const x = na[i] ?? "";
    const y = nb[i] ?? "";
    if (x === y) continue;
    if (i % 2 === 1 && x !== "" && y !== "" && Number(x) !== Number(y)) return Number(y) - Number(x);
    return cmp(y, x);
  }
  return 0;
}

function parseExample(raw: string | undefined): { value: unknown } | undefined {
  if (!raw) return undefined;
  try {
    return { value: JSON.parse(raw) };
  } catch {
    return undefined; // a broken example would make the document lie; leave it out
  }
}

function summaryOf(description: string | undefined, fallback: string): string {
  const first = description?.split(/\n/)[0]?.trim();
  if (!first) return fallback;
  const sentence = /^(.*?[.!?])(\s|$)/.exec(first)?.[1] ?? first;
  return sentence.length > 120 ? `${sentence.slice(0, 117)}...` : sentence;
}

interface MergedEndpoint {
  endpoint: Endpoint;
  dialect: Dialect;
  versions: string[];
}

interface MergedService {
  name: string;
  versions: string[];
  description?: string;
  endpoints: Map<string, MergedEndpoint>;
}

/** One record per service name: the union of its versions' endpoints, the newest version's shape winning. */
function mergeServices(services: Service[]): MergedService[] {
  const byName = new Map<string, Service[]>();
  for (const s of services) {
    if (!s?.name) continue;
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  const out: MergedService[] = [];
  for (const name of [...byName.keys()].sort(cmp)) {
    const records = byName.get(name)!.sort((a, b) => byVersionDesc(a.version ?? "", b.version ?? ""));
    const m: MergedService = {
      name,
      versions: [...new Set(records.map((r) => r.version ?? ""))].sort((a, b) => -byVersionDesc(a, b)),
      endpoints: new Map(),
    };
    for (const r of records) {
      m.description ??= r.metadata?.description || undefined;
      const dialect = dialectOf(r);
      for (const e of r.endpoints ?? []) {
        if (!e?.name || e.metadata?.subscriber === "true") continue; // broker subscribers are not callable
        const seen = m.endpoints.get(e.name);
        if (seen) {
          if (!seen.versions.includes(r.version ?? "")) seen.versions.push(r.version ?? "");
        } else {
          m.endpoints.set(e.name, { endpoint: e, dialect, versions: [r.version ?? ""] });
        }
      }
    }
    for (const e of m.endpoints.values()) e.versions.sort((a, b) => -byVersionDesc(a, b));
    out.push(m);
  }
  return out;
}

/** The OpenAPI 3.1 document of the gateway's routes for `services`; the same input gives the same JSON. */
export function buildOpenApiDocument(services: Service[], options: OpenApiOptions = {}): OpenApiDocument {
  const merged = mergeServices(services);
  const base = normaliseBase(options.basePath);

  const sources: SchemaSource[] = [];
  for (const s of merged) {
    for (const m of s.endpoints.values()) {
      const values = [m.endpoint.request, m.endpoint.response].filter((v): v is Value => !!v);
      sources.push({ service: s.name, dialect: m.dialect, values });
    }
  }
  const schemas = buildSchemaSet(sources, { reserved: [ERROR_SCHEMA] });

  const errorResponses: Record<string, Reference> = {};
  const responses: Record<string, ResponseObject> = {};
  for (const [status, name, description] of ERRORS) {
    responses[name] = {
      description,
      content: { "application/json": { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
    };
    errorResponses[status] = { $ref: `#/components/responses/${name}` };
  }

  const paths: Record<string, PathItem> = {};
  const usedIds = new Set<string>();
  const uniqueId = (wanted: string): string => {
    let id = wanted;
    for (let i = 2; usedIds.has(id); i++) id = `${wanted}_${i}`;
    usedIds.add(id);
    return id;
  };

  for (const s of merged) {
    for (const name of [...s.endpoints.keys()].sort(cmp)) {
      const m = s.endpoints.get(name)!;
      const e = m.endpoint;
      const path = `${base}/${encodeURIComponent(s.name)}/${encodeURIComponent(name)}`;
      if (paths[path]) continue; // two names that encode alike: the first keeps the route
      const kind = streamKind(e, m.dialect);
      const description = e.metadata?.description?.trim() || undefined;
      const example = parseExample(e.metadata?.example);
      const scopes = (e.metadata?.scopes ?? "")
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean);

      const head = {
        operationId: uniqueId(operationIdOf(s.name, name)),
        tags: [s.name],
        summary: summaryOf(description, name),
      };
      const tail: Partial<OperationObject> & Pick<OperationObject, "x-micro-service" | "x-micro-endpoint"> = {
        ...(options.auth ? { security: [{ [BEARER]: scopes }] } : {}),
        "x-micro-service": s.name,
        "x-micro-endpoint": name,
        ...(m.versions.length < s.versions.length ? { "x-micro-versions": m.versions } : {}),
        ...(scopes.length ? { "x-micro-scopes": scopes } : {}),
        ...(e.metadata?.idempotent === "false" ? { "x-micro-idempotent": false } : {}),
      };

      if (kind) {
        const goStream = m.dialect === "go";
        const send =
          goStream && (kind !== "server" || isGoContext(e.request))
            ? { ...NOT_ADVERTISED }
            : schemas.schemaOf(s.name, e.request, m.dialect);
        const receive =
          goStream && isGoStreamHandle(e.response)
            ? { ...NOT_ADVERTISED }
            : schemas.schemaOf(s.name, e.response, m.dialect);
        const how =
          kind === "server"
            ? "Send the request as one JSON text frame; each reply arrives as one JSON text frame."
            : "Each JSON text frame is one message, in either direction; an empty text frame ends your side (half-close).";
        const route = `Streaming endpoint (${kind}): open a WebSocket at \`ws(s)://{host}${path}\`; this GET is the upgrade request, not a call. ${how} The end of the stream closes the socket with 1000; an error closes it with 4000 + its HTTP status and the MicroError JSON as the reason.`;
        paths[path] = {
          get: {
            ...head,
            description: description ? `${description}\n\n${route}` : route,
            parameters: [
              {
                name: "Upgrade",
                in: "header",
                required: true,
                description: "WebSocket upgrade",
                schema: { type: "string", const: "websocket" },
              },
            ],
            responses: {
              "101": { description: "Switching Protocols: the stream is open" },
              ...pick(errorResponses, ["400", "401", "403", "404", "429", "502", "503"]),
            },
            ...tail,
            "x-micro-stream": kind,
            "x-micro-messages": { send, receive },
          },
        };
      } else {
        const media: MediaType = { schema: schemas.schemaOf(s.name, e.request, m.dialect) };
        if (example) media.example = example.value;
        paths[path] = {
          post: {
            ...head,
            ...(description ? { description } : {}),
            requestBody: { required: true, content: { "application/json": media } },
            responses: {
              "200": {
                description: "The reply",
                content: { "application/json": { schema: schemas.schemaOf(s.name, e.response, m.dialect) } },
              },
              ...errorResponses,
            },
            ...tail,
          },
        };
      }
    }
  }

  const doc: OpenApiDocument = {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: options.title ?? "Micro API",
      version: options.version ?? "1.0.0",
      description: `RPC over HTTP: POST ${base}/{service}/{Endpoint} with a JSON body; streams over WebSocket at the same path.`,
    },
    tags: merged.map((s) => ({
      name: s.name,
      ...(s.description ? { description: s.description } : {}),
      "x-micro-versions": s.versions,
    })),
    paths,
    components: {
      schemas: sortKeys({ ...schemas.components, [ERROR_SCHEMA]: microErrorSchema() }),
      responses,
    },
  };
  if (options.serverUrl) doc.servers = [{ url: options.serverUrl }];
  if (options.auth) {
    doc.components.securitySchemes = {
      [BEARER]: { type: "http", scheme: "bearer", description: "Authorization: Bearer <token>" },
    };
    doc.security = [{ [BEARER]: [] }];
  }
  return doc;
}

function pick<T>(o: Record<string, T>, keys: string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of keys) if (o[k]) out[k] = o[k];
  return out;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort(cmp)) out[k] = o[k]!;
  return out;
}
