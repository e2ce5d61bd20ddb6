// Tool schemas from registry Value trees. The conversion itself is the gateway's OpenAPI converter
// (TS and go-micro extractor shapes alike); this file makes its output fit MCP:
// - self-contained: MCP clients resolve local references only, so each tool schema carries the
//   named structs it uses under its own `$defs` (a recursive message stays a `$ref` into them);
// - an object at the top: `inputSchema` and `outputSchema` must be `type: "object"`;
// - lenient outputs: an output schema says what a reply MAY hold, and clients validate
//   `structuredContent` against it, so it admits what the services' JSON codecs really write —
//   `null` for a Go nil slice, map, pointer or []byte, and 64-bit integers as decimal strings
//   (protojson and protobufjs write int64 so).
import type { Value } from "@micro/core";
import { buildSchemaSet, type Dialect, type SchemaSet } from "@micro/gateway";

/** A JSON Schema (2020-12) object as sent to MCP clients. */
export type Schema = { [key: string]: unknown };

const DEFS = "#/$defs/";

/** One service's named structs, and schemas for its values. */
export class ServiceSchemas {
  readonly #service: string;
  readonly #set: SchemaSet;
  readonly #strict: Record<string, Schema>;
  readonly #lenient: Record<string, Schema>;

  constructor(service: string, sources: { dialect: Dialect; values: Value[] }[]) {
    this.#service = service;
    // One set per service: component names then depend on this service alone, so another service
    // appearing in the registry never renames a `$defs` entry of this one's tools.
    this.#set = buildSchemaSet(
      sources.map((s) => ({ service, dialect: s.dialect, values: s.values })),
      { refPrefix: DEFS },
    );
    this.#strict = {};
    this.#lenient = {};
    for (const [name, c] of Object.entries(this.#set.components)) {
      const schema = c as unknown as Schema;
      this.#strict[name] = schema;
      this.#lenient[name] = lenient(schema, true);
    }
  }

  /** The schema of a value, `$ref`s into `#/$defs/` unresolved; `{}` when nothing is advertised. */
  fragment(value: Value | undefined, dialect: Dialect): Schema {
    return structuredClone(this.#set.schemaOf(this.#service, value, dialect)) as unknown as Schema;
  }

  /** `root` with the structs it uses, directly or not, under `$defs`; a top-level `$ref` inlined. */
  complete(root: Schema, output: boolean): Schema {
    const components = output ? this.#lenient : this.#strict;
    let top = root;
    const only = refName(root);
    if (only !== undefined && Object.keys(root).length === 1 && components[only]) {
      top = structuredClone(components[only]);
    }
    const used = new Set<string>();
    const visit = (s: unknown): void => {
      walkRefs(s, (name) => {
        if (used.has(name) || !components[name]) return;
        used.add(name);
        visit(components[name]);
      });
    };
    visit(top);
    if (!used.size) return top;
    const defs: Schema = {};
    for (const name of [...used].sort()) defs[name] = structuredClone(components[name]);
    return { ...top, $defs: defs };
  }
}

export function isObjectSchema(s: Schema): boolean {
  return s.type === "object";
}

/** Nothing advertised: the converter's `{}` or its description-only "any". */
export function isAnySchema(s: Schema): boolean {
  return Object.keys(s).every((k) => k === "description" || k === "x-micro-type" || k === "title");
}

/** A reference to a component (`#/$defs/Name`), or undefined. */
export function refName(s: Schema): string | undefined {
  const r = s.$ref;
  return typeof r === "string" && r.startsWith(DEFS) ? r.slice(DEFS.length) : undefined;
}

function walkRefs(s: unknown, found: (name: string) => void): void {
  if (Array.isArray(s)) {
    for (const x of s) walkRefs(x, found);
    return;
  }
  if (!s || typeof s !== "object") return;
  for (const [k, v] of Object.entries(s)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith(DEFS)) found(v.slice(DEFS.length));
    else if (k !== "$defs") walkRefs(v, found);
  }
}

/**
 * What a codec may write where `s` says otherwise: null for containers, structs and bytes, a string
 * for a 64-bit integer. The root of a reply or of a named struct is never null (nullability is the
 * business of the field that holds it).
 */
export function lenient(s: Schema, root = false): Schema {
  const out: Schema = { ...s };
  if (isRecord(out.properties)) {
    const props: Schema = {};
    for (const [k, v] of Object.entries(out.properties)) props[k] = isRecord(v) ? lenient(v) : v;
    out.properties = props;
  }
  if (isRecord(out.items)) out.items = lenient(out.items);
  if (isRecord(out.additionalProperties)) out.additionalProperties = lenient(out.additionalProperties);
  if (root) return out;
  if (typeof out.$ref === "string") return { anyOf: [out, { type: "null" }] };
  if (out.type === "object" || out.type === "array") out.type = [out.type, "null"];
  else if (out.type === "integer" && out.format === "int64") out.type = ["integer", "string"];
  else if (out.type === "string" && out.contentEncoding === "base64") out.type = ["string", "null"];
  return out;
}

function isRecord(v: unknown): v is Schema {
  return !!v && typeof v === "object" && !Array.isArray(v);
}
