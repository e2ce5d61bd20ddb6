// proto types → TypeScript types of the objects the codecs hand over and accept: 64-bit integers
// as decimal strings (numbers accepted), enums as names, bytes as Uint8Array (base64 on the JSON
// wire), a message field left unset as null (protobufjs' defaults) or absent.
import { goCamelCase } from "./go-names.js";
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
  bytes: "Uint8Array | string",
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
  readonly #go = new Map<string, string>();

  constructor(model: ProtoModel) {
    for (const m of model.messages) {
      this.#ts.set(m.fullName, m.tsName);
      this.#go.set(m.fullName, goCamelCase(m.tsName));
    }
    for (const e of model.enums) {
      this.#ts.set(e.fullName, e.tsName);
      this.#go.set(e.fullName, goCamelCase(e.tsName));
    }
  }

  /** The Go type name protoc-gen-go gives a message or enum (`Order_Audit` for nested ones). */
  goName(fullName: string): string {
    return this.#go.get(fullName) ?? fullName.slice(fullName.lastIndexOf(".") + 1);
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
    return f.kind === "message" ? `${one} | null` : one;
  }

  /**
   * The type go-micro's extractor advertises for a field: the Go type's name, `[]Elem` for a slice
   * (`[]` when the element is itself unnamed, as `[]byte` is) and `""` for a map, which has no name.
   */
  go(f: FieldModel): string {
    if (f.mapKey) return "";
    const one = f.kind === "scalar" ? (GO_TYPES[f.type] ?? f.type) : this.goName(f.type);
    if (!f.repeated) return one;
    return f.type === "bytes" ? "[]" : `[]${one}`;
  }
}
