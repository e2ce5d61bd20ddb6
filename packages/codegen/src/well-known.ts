// google.protobuf well-known types have their own JSON forms in protojson (a Timestamp is an
// RFC 3339 string, a wrapper is its bare value), which is what go-micro services put on the wire.
const WELL_KNOWN: Record<string, string> = {
  "google.protobuf.Timestamp": "string",
  "google.protobuf.Duration": "string",
  "google.protobuf.FieldMask": "string",
  "google.protobuf.Empty": "Record<string, never>",
  "google.protobuf.Struct": "Record<string, unknown>",
  "google.protobuf.Value": "unknown",
  "google.protobuf.ListValue": "unknown[]",
  "google.protobuf.NullValue": "null",
  "google.protobuf.Any": '{ "@type": string; [field: string]: unknown }',
  "google.protobuf.BoolValue": "boolean",
  "google.protobuf.StringValue": "string",
  "google.protobuf.BytesValue": "string",
  "google.protobuf.DoubleValue": "number",
  "google.protobuf.FloatValue": "number",
  "google.protobuf.Int32Value": "number",
  "google.protobuf.UInt32Value": "number",
  "google.protobuf.Int64Value": "string | number",
  "google.protobuf.UInt64Value": "string | number",
};

export const isWellKnown = (fullName: string) =>
  fullName.startsWith("google.protobuf.") && fullName in WELL_KNOWN;

export const wellKnownTsType = (fullName: string): string | undefined => WELL_KNOWN[fullName];
