// Registry schemas (go-micro's Value trees) for each request/response, so a TS service built from
// the .proto advertises what a Go service built from it advertises (go-micro's server/extractor.go
// walking protoc-gen-go structs), and `micro describe` shows the same fields.
import { goCamelCase as goCamel } from "./go-names.js";
import type { FieldModel, MessageModel } from "./model.js";
import type { TypeNames } from "./ts-types.js";

interface Value {
  name: string;
  type: string;
  values?: Value[];
}

// The extractor returns nothing at depth 3, so a struct at depth 2 is advertised without fields.
const FIELDS_BELOW_DEPTH = 2;

const scalar = (protoName: string, type: string): FieldModel => ({
  protoName,
  jsonName: protoName,
  type,
  kind: "scalar",
  repeated: false,
});

// The exported fields of the Go structs protoc-gen-go ships for the well-known types.
const WELL_KNOWN_FIELDS: Record<string, FieldModel[]> = {
  "google.protobuf.Timestamp": [scalar("seconds", "int64"), scalar("nanos", "int32")],
  "google.protobuf.Duration": [scalar("seconds", "int64"), scalar("nanos", "int32")],
  "google.protobuf.Any": [scalar("type_url", "string"), scalar("value", "bytes")],
  "google.protobuf.FieldMask": [{ ...scalar("paths", "string"), repeated: true }],
  "google.protobuf.Struct": [{ ...scalar("fields", "string"), mapKey: "string" }],
  "google.protobuf.BoolValue": [scalar("value", "bool")],
  "google.protobuf.StringValue": [scalar("value", "string")],
  "google.protobuf.BytesValue": [scalar("value", "bytes")],
  "google.protobuf.DoubleValue": [scalar("value", "double")],
  "google.protobuf.FloatValue": [scalar("value", "float")],
  "google.protobuf.Int32Value": [scalar("value", "int32")],
  "google.protobuf.UInt32Value": [scalar("value", "uint32")],
  "google.protobuf.Int64Value": [scalar("value", "int64")],
  "google.protobuf.UInt64Value": [scalar("value", "uint64")],
};

export function schemaOf(
  full: string,
  byName: Map<string, MessageModel>,
  names: TypeNames,
  depth = 0,
): Value {
  const goName = names.goName(full);
  const v: Value = { name: goName, type: goName };
  const fields = byName.get(full)?.fields ?? WELL_KNOWN_FIELDS[full] ?? [];
  if (depth >= FIELDS_BELOW_DEPTH) return v;
  const values: Value[] = [];
  const oneofs = new Set<string>();
  for (const f of fields) {
    if (f.oneof) {
      // a oneof is one Go interface field, named after the group, where its first member is
      if (oneofs.has(f.oneof)) continue;
      oneofs.add(f.oneof);
      values.push({ name: goCamel(f.oneof), type: `is${goName}_${goCamel(f.oneof)}` });
      continue;
    }
    const field: Value = { name: f.protoName, type: names.go(f) };
    // only a singular message is a struct the extractor walks; slices and maps are not descended
    if (f.kind === "message" && !f.repeated && !f.mapKey) {
      const inner = schemaOf(f.type, byName, names, depth + 1);
      if (inner.values) field.values = inner.values;
    }
    values.push(field);
  }
  if (values.length) v.values = values;
  return v;
}
