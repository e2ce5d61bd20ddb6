// Registry schemas (go-micro's Value trees) for each request/response, so a TS service built from
// the .proto advertises what a Go service built from it advertises, and `micro describe` shows fields.
import type { MessageModel } from "./model.js";
import type { TypeNames } from "./ts-types.js";

interface Value {
  name: string;
  type: string;
  values?: Value[];
}

// go-micro's extractor stops descending after three levels; so do we (and recursive types end).
const MAX_DEPTH = 3;

export function schemaOf(
  full: string,
  byName: Map<string, MessageModel>,
  names: TypeNames,
  depth = 0,
): Value {
  const m = byName.get(full);
  const short = m?.name ?? full.slice(full.lastIndexOf(".") + 1);
  const v: Value = { name: short, type: short };
  if (m?.fields.length && depth < MAX_DEPTH) {
    v.values = m.fields.map((f) => {
      const inner =
        f.kind === "message" && !f.mapKey && byName.has(f.type)
          ? schemaOf(f.type, byName, names, depth + 1)
          : undefined;
      const field: Value = { name: f.protoName, type: names.go(f) };
      if (inner?.values) field.values = inner.values;
      return field;
    });
  }
  return v;
}
