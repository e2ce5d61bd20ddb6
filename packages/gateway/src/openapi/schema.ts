// Registry Value trees → JSON Schema 2020-12 (the dialect of OpenAPI 3.1).
//
// Two writers fill the registry with Value trees, and they disagree on details:
// - go-micro's extractor (server/extractor.go, v5.30.0) names a value after its reflect type's
//   `Name()`: bare names without package (`Request`, `Time`, `Duration`), pointers dereferenced,
//   slices as `[]Elem` with no values (so `[]*Item` is `[]Item`, `[]byte` is `[]uint8`), and `""` for
//   every unnamed type (maps, interfaces, arrays, anonymous structs). Fields use their json tag names.
//   Recursion stops at depth 3: a struct met at depth 2 comes with no values at all.
// - our server (core/src/server/endpoints.ts) reflects protobufjs types, also 3 levels: proto scalar
//   names (`int64`, `bytes`), `[]T` for repeated fields with the message's values kept, `""` for map
//   fields (with the value message's fields when it is a message), messages as written in the .proto
//   (`pkg.Foo`), and `values: []` for a message without fields.
// Hand-written Values may use Go type expressions (`map[string]*Foo`, `*Foo`, `time.Time`); they parse
// too. Whatever cannot be read becomes `{}` (any) with a description naming the type: a document must
// come out of any registry content.
import type { Value } from "@micro/core";

/** The subset of JSON Schema 2020-12 this module writes (OpenAPI 3.1's Schema Object). */
export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";
  format?: string;
  contentEncoding?: string;
  minimum?: number;
  minItems?: number;
  maxItems?: number;
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  examples?: unknown[];
  /** The registry's type name, kept when the schema cannot say more than "any". */
  "x-micro-type"?: string;
}

/** Who wrote a service's Value trees; they differ in what `""` means (see the header). */
export type Dialect = "go" | "ts";

/** Node metadata key our servers add to their registry records (core's NODE_MARKER). */
const TS_NODE_MARKER = "micro-ts";

/** The dialect of a registry record: ours carry a marker in node metadata, anything else is Go's. */
export function dialectOf(service: { nodes?: { metadata?: Record<string, string> }[] }): Dialect {
  return (service.nodes ?? []).some((n) => n.metadata?.[TS_NODE_MARKER] !== undefined) ? "ts" : "go";
}

const INT32: JsonSchema = { type: "integer", format: "int32" };
// go-micro's JSON codec writes Go integers as JSON numbers, whatever their size
const INT64: JsonSchema = { type: "integer", format: "int64" };
const UINT32: JsonSchema = { type: "integer", format: "int64", minimum: 0 };
const UINT64: JsonSchema = { type: "integer", format: "int64", minimum: 0 };
const BYTES: JsonSchema = { type: "string", contentEncoding: "base64" };

const SCALARS: Record<string, JsonSchema> = {
  string: { type: "string" },
  bool: { type: "boolean" },
  int8: INT32,
  int16: INT32,
  int32: INT32,
  sint32: INT32,
  sfixed32: INT32,
  rune: INT32,
  uint8: { type: "integer", format: "int32", minimum: 0 },
  byte: { type: "integer", format: "int32", minimum: 0 },
  uint16: { type: "integer", format: "int32", minimum: 0 },
  uint32: UINT32,
  fixed32: UINT32,
  int: INT64,
  int64: INT64,
  sint64: INT64,
  sfixed64: INT64,
  uint: UINT64,
  uint64: UINT64,
  fixed64: UINT64,
  uintptr: UINT64,
  float: { type: "number", format: "float" },
  float32: { type: "number", format: "float" },
  double: { type: "number", format: "double" },
  float64: { type: "number", format: "double" },
  bytes: BYTES,
  "time.Time": { type: "string", format: "date-time" },
  "time.Duration": { ...INT64, description: "nanoseconds" },
};

// go-micro drops the package, so time.Time arrives as `Time` (a struct whose fields are all
// unexported, hence no values) and time.Duration as `Duration`. Only used when a value has no
// fields, so a service's own struct called Time keeps its properties.
const BARE_GO_NAMES: Record<string, string> = { Time: "time.Time", Duration: "time.Duration" };

/** The JSON Schema of a Go or protobuf scalar type name; undefined for anything else. */
export function scalarSchema(type: string): JsonSchema | undefined {
  const s = SCALARS[type] ?? SCALARS[BARE_GO_NAMES[type] ?? ""];
  return s ? structuredClone(s) : undefined;
}

type TypeExpr =
  | { kind: "unnamed" }
  | { kind: "any" }
  | { kind: "named"; name: string }
  | { kind: "slice"; elem: TypeExpr }
  | { kind: "array"; length: number; elem: TypeExpr }
  | { kind: "map"; elem: TypeExpr }
  | { kind: "unknown" };

/** A Go type expression as %v or reflect would print it, or a protobuf type reference. */
function parseType(t: string, depth = 0): TypeExpr {
  const s = t.trim();
  if (depth > 16) return { kind: "unknown" };
  if (s === "") return { kind: "unnamed" };
  if (s === "any" || /^interface\s*\{\s*\}$/.test(s)) return { kind: "any" };
  if (s.startsWith("*")) return parseType(s.slice(1), depth + 1);
  if (s.startsWith("[]")) return { kind: "slice", elem: parseType(s.slice(2), depth + 1) };
  const arr = /^\[(\d+)\]/.exec(s);
  if (arr)
    return { kind: "array", length: Number(arr[1]), elem: parseType(s.slice(arr[0].length), depth + 1) };
  if (s.startsWith("map[")) {
    let level = 1;
    for (let i = 4; i < s.length; i++) {
      if (s[i] === "[") level++;
      else if (s[i] === "]" && --level === 0)
        return { kind: "map", elem: parseType(s.slice(i + 1), depth + 1) };
    }
    return { kind: "unknown" };
  }
  // `.pkg.Foo` is protobuf's fully qualified form
  if (/^\.?[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(s)) return { kind: "named", name: s.replace(/^\./, "") };
  return { kind: "unknown" };
}

/** The name the struct described by a Value's `values` goes by: the innermost element of its type. */
function structName(type: string): string | undefined {
  let e = parseType(type);
  while (e.kind === "slice" || e.kind === "array" || e.kind === "map") e = e.elem;
  return e.kind === "named" && !scalarSchema(e.name) ? e.name : undefined;
}

/** Protobuf references may be qualified (`pkg.Foo`) where the message's own Value says `Foo`. */
function baseName(name: string): string {
  return name.slice(name.lastIndexOf(".") + 1);
}

/** Two occurrences describe the same struct when they list the same fields with the same types. */
function signatureOf(values: Value[]): string {
  return values
    .map((v) => `${v.name}:${v.type}`)
    .sort()
    .join(",");
}

// Go stops at depth 3 and parseValue at 32; a hand-made cyclic Value must not loop forever.
const MAX_DEPTH = 32;

interface Variant {
  base: string;
  title: string;
  signature: string;
  dialect: Dialect;
  /** Fields as first met; for each field, the first occurrence that came with nested values. */
  fields: Value[];
  services: Set<string>;
  component: string;
}

/** One service's Value trees, all from one writer. */
export interface SchemaSource {
  service: string;
  dialect: Dialect;
  values: Value[];
}

export interface SchemaSet {
  /** Named structs with fields, keyed by component name, sorted. */
  components: Record<string, JsonSchema>;
  /** The schema of a value of `service`: a `$ref` to a component, an inline schema, or `{}`. */
  schemaOf(service: string, value: Value | undefined, dialect: Dialect): JsonSchema;
}

export interface SchemaSetOptions {
  /** Prefix of `$ref`s (default `#/components/schemas/`). */
  refPrefix?: string;
  /** Component names taken by the caller (e.g. `MicroError`). */
  reserved?: string[];
}

/** Component names must match `^[a-zA-Z0-9.\-_]+$` (OpenAPI 3.1, Components Object). */
function componentSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_") || "_";
}

/**
 * Collects every named struct in `sources` and names one component per distinct shape: the bare
 * type name when only one shape goes by it, `{service}.{Type}` for each shape when several services
 * disagree (all of them, so a name does not move to whichever service registered first).
 */
export function buildSchemaSet(sources: SchemaSource[], options: SchemaSetOptions = {}): SchemaSet {
  const refPrefix = options.refPrefix ?? "#/components/schemas/";
  const variants = new Map<string, Variant>(); // base + "\0" + signature
  const byService = new Map<string, Set<Variant>>(); // service + "\0" + base

  const collect = (service: string, dialect: Dialect, v: Value, depth: number): void => {
    if (depth > MAX_DEPTH || !v.values?.length) return;
    const name = structName(v.type);
    if (name) {
      const base = baseName(name);
      const signature = signatureOf(v.values);
      const key = `${base}\0${signature}`;
      let variant = variants.get(key);
      if (!variant) {
        variant = {
          base,
          title: base,
          signature,
          dialect,
          fields: v.values.map((f) => ({ ...f })),
          services: new Set(),
          component: "",
        };
        variants.set(key, variant);
      } else {
        // a struct met deeper came without nested values; a shallower occurrence fills them in
        variant.fields = variant.fields.map((f) => {
          if (f.values?.length) return f;
          const richer = v.values?.find((g) => g.name === f.name && g.type === f.type && g.values?.length);
          return richer ? { ...richer } : f;
        });
      }
      variant.services.add(service);
      const sk = `${service}\0${base}`;
      const set = byService.get(sk) ?? new Set<Variant>();
      byService.set(sk, set.add(variant));
    }
    for (const f of v.values) collect(service, dialect, f, depth + 1);
  };

  const ordered = [...sources].sort((a, b) => cmp(a.service, b.service));
  for (const s of ordered) for (const v of s.values) collect(s.service, s.dialect, v, 0);

  // Naming, in a fixed order so the same registry content always gives the same names.
  const used = new Set<string>(options.reserved ?? []);
  const claim = (wanted: string): string => {
    const safe = componentSafe(wanted);
    let name = safe;
    for (let i = 2; used.has(name); i++) name = `${safe}_${i}`;
    used.add(name);
    return name;
  };
  const groups = new Map<string, Variant[]>();
  for (const v of variants.values()) {
    const g = groups.get(v.base);
    if (g) g.push(v);
    else groups.set(v.base, [v]);
  }
  const firstService = (v: Variant) => [...v.services].sort(cmp)[0] ?? "";
  for (const base of [...groups.keys()].sort(cmp)) {
    const group = groups.get(base)!;
    group.sort((a, b) => cmp(firstService(a), firstService(b)) || cmp(a.signature, b.signature));
    for (const v of group) v.component = claim(group.length === 1 ? base : `${firstService(v)}.${base}`);
  }

  const ref = (v: Variant): JsonSchema => ({ $ref: refPrefix + v.component });

  const render = (
    service: string,
    dialect: Dialect,
    type: string,
    values: Value[] | undefined,
    depth: number,
  ) => {
    const expr = parseType(type);
    return renderExpr(service, dialect, expr, type, values, depth);
  };

  const renderExpr = (
    service: string,
    dialect: Dialect,
    expr: TypeExpr,
    type: string,
    values: Value[] | undefined,
    depth: number,
  ): JsonSchema => {
    if (depth > MAX_DEPTH) return unknown(type, "nested too deep");
    switch (expr.kind) {
      case "any":
        return {};
      case "unnamed":
        if (values?.length) {
          // Go: an anonymous struct. Ours: a map field whose values are messages (the message's
          // name is not kept), which may still match a named shape of this service.
          const match = [...variants.values()].filter(
            (v) => v.services.has(service) && v.signature === signatureOf(values),
          );
          const item = match.length === 1 ? ref(match[0]!) : inlineObject(service, dialect, values, depth);
          return dialect === "ts" ? { type: "object", additionalProperties: item } : item;
        }
        if (values) return { type: "object" };
        return dialect === "ts"
          ? { type: "object", additionalProperties: {} }
          : unknown(type, "a Go map, interface or array: its type is not advertised");
      case "slice":
        if (expr.elem.kind === "named" && (expr.elem.name === "uint8" || expr.elem.name === "byte")) {
          return structuredClone(BYTES);
        }
        return { type: "array", items: renderExpr(service, dialect, expr.elem, type, values, depth + 1) };
      case "array":
        return {
          type: "array",
          items: renderExpr(service, dialect, expr.elem, type, values, depth + 1),
          minItems: expr.length,
          maxItems: expr.length,
        };
      case "map":
        return {
          type: "object",
          additionalProperties: renderExpr(service, dialect, expr.elem, type, values, depth + 1),
        };
      case "named": {
        if (!values?.length) {
          const scalar = scalarSchema(expr.name);
          if (scalar) return scalar;
        }
        if (values && values.length === 0) return { type: "object", title: baseName(expr.name) };
        const base = baseName(expr.name);
        if (values?.length) {
          const v = variants.get(`${base}\0${signatureOf(values)}`);
          return v ? ref(v) : inlineObject(service, dialect, values, depth);
        }
        // No fields here (depth cut-off, or a Go slice element): the service's own shape of that
        // name, when it described it somewhere else and there is just one.
        const known = byService.get(`${service}\0${base}`);
        if (known?.size === 1) return ref([...known][0]!);
        return unknown(expr.name, known ? "several shapes of this name" : "its fields are not advertised");
      }
      case "unknown":
        return unknown(type, "not a type this gateway reads");
    }
  };

  const inlineObject = (service: string, dialect: Dialect, values: Value[], depth: number): JsonSchema => {
    const properties: Record<string, JsonSchema> = {};
    for (const f of values) {
      if (!f.name || Object.hasOwn(properties, f.name)) continue;
      properties[f.name] = render(service, dialect, f.type, f.values, depth + 1);
    }
    return { type: "object", properties };
  };

  const components: Record<string, JsonSchema> = {};
  for (const v of [...variants.values()].sort((a, b) => cmp(a.component, b.component))) {
    const service = firstService(v);
    components[v.component] = { title: v.title, ...inlineObject(service, v.dialect, v.fields, 0) };
  }

  return {
    components,
    schemaOf(service, value, dialect) {
      if (!value) return {};
      return render(service, dialect, value.type, value.values, 0);
    },
  };
}

function unknown(type: string, why: string): JsonSchema {
  return type
    ? { description: `${type}: ${why}`, "x-micro-type": type }
    : { description: `type not advertised (${why})` };
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
