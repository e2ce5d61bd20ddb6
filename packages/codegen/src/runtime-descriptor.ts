// The JSON descriptor embedded in generated modules: the Root's messages and enums with field names
// in lowerCamelCase, which is how @micro/codec-proto loads types (keepCase off), so application
// objects have the same keys whichever way their types were made.
import protobuf from "protobufjs";

type Json = Record<string, unknown>;

const { util } = protobuf;

function camelCased(type: Json): Json {
  const out: Json = { ...type };
  if (type.fields) {
    out.fields = Object.fromEntries(
      Object.entries(type.fields as Json).map(([name, f]) => [util.camelCase(name), f]),
    );
  }
  if (type.oneofs) {
    out.oneofs = Object.fromEntries(
      Object.entries(type.oneofs as Record<string, { oneof: string[] }>).map(([name, o]) => [
        name,
        { ...o, oneof: o.oneof.map((f) => util.camelCase(f)) },
      ]),
    );
  }
  return out;
}

// Services have no use at run time (the generated code names endpoints itself); dropping them keeps
// the descriptor to what the codecs read.
function messagesAndEnums(json: Json): Json {
  const out = camelCased(json);
  const nested = json.nested as Record<string, Json> | undefined;
  if (!nested) return out;
  const kept = Object.entries(nested)
    .filter(([, v]) => !("methods" in v))
    .map(([k, v]) => [k, messagesAndEnums(v)] as const)
    .filter(([, v]) => "fields" in v || "values" in v || v.nested);
  if (kept.length) out.nested = Object.fromEntries(kept);
  else delete out.nested;
  return out;
}

export function runtimeDescriptor(root: protobuf.Root): Json {
  return messagesAndEnums(root.toJSON() as Json);
}
