// proto types → TypeScript types of the JSON the codecs exchange (protojson's mapping: 64-bit
// integers travel as strings, bytes as base64, enums as their names).
import type { FieldModel, ProtoModel } from "./model.js";
import { wellKnownTsType } from "./well-known.js";

const SCALARS: Record<string, string> = {
  double: "number",
  float: "number",
  int32: "number",
  uint32: "number",
  sint32: "number",
  fixed32: "number",
  sfixed32: "number",
  int64: "string | number",
  uint64: "string | number",
  sint64: "string | number",
  fixed64: "string | number",
  sfixed64: "string | number",
  bool: "boolean",
  string: "string",
  bytes: "string",
};

/** Go type names for registry schemas, as go-micro's reflection-based extractor prints them. */
const GO_TYPES: Record<string, string> = {
  double: "float64",
  float: "float32",
  sint32: "int32",
  fixed32: "uint32",
  sfixed32: "int32",
  sint64: "int64",
  fixed64: "uint64",
  sfixed64: "int64",
  bytes: "[]uint8",
};

export class TypeNames {
  readonly #ts = new Map<string, string>();
  readonly #short = new Map<string, string>();

  constructor(model: ProtoModel) {
    for (const m of model.messages) {
      this.#ts.set(m.fullName, m.tsName);
      this.#short.set(m.fullName, m.name);
    }
    for (const e of model.enums) {
      this.#ts.set(e.fullName, e.tsName);
      this.#short.set(e.fullName, e.fullName.slice(e.fullName.lastIndexOf(".") + 1));
    }
  }

  /** The TypeScript type of a message or enum by its full name. */
  ts(fullName: string): string {
    const known = wellKnownTsType(fullName) ?? this.#ts.get(fullName);
    if (!known) throw new Error(`type ${fullName} is used but not declared in the loaded files`);
    return known;
  }

  field(f: FieldModel): string {
    const one = f.kind === "scalar" ? (SCALARS[f.type] ?? "unknown") : this.ts(f.type);
    if (f.mapKey) return `Record<string, ${one}>`;
    if (f.repeated) return one.includes(" ") ? `(${one})[]` : `${one}[]`;
    return one;
  }

  /** Go-style type name for the registry schema (`string`, `int64`, `[]string`, `Message`). */
  go(f: FieldModel): string {
    const one = f.kind === "scalar" ? (GO_TYPES[f.type] ?? f.type) : (this.#short.get(f.type) ?? f.type);
    if (f.mapKey) return `map[${GO_TYPES[f.mapKey] ?? f.mapKey}]${one}`;
    return f.repeated ? `[]${one}` : one;
  }
}
