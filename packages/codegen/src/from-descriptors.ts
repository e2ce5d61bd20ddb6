// protoc's FileDescriptorProtos as a protobufjs Root shaped like one loaded from the .proto files.
// protobufjs' fromDescriptor leaves map fields as repeated `XEntry` messages (and marks the wrong
// type as a map entry), and misses proto3 `optional` (it reads a snake_case property its own
// decoder spells proto3Optional), so both are put right here from the descriptors.
import protobuf from "protobufjs";
import descriptor from "protobufjs/ext/descriptor/index.js";

type Json = Record<string, unknown>;

interface MessageDescriptor {
  name: string;
  field?: { name: string; proto3Optional?: boolean }[];
  nestedType?: MessageDescriptor[];
  options?: { mapEntry?: boolean };
}

export interface FileDescriptor {
  name: string;
  package?: string;
  dependency?: string[];
  messageType?: MessageDescriptor[];
  service?: { name: string }[];
}

export const decodeFile = (bytes: Uint8Array) =>
  descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor;

interface Marks {
  /** Full names (with the leading dot protoc uses) of the synthetic map entry messages. */
  entries: Set<string>;
  /** `<message full name>.<field>` of proto3 `optional` fields. */
  optional: Set<string>;
}

function marksOf(files: readonly FileDescriptor[]): Marks {
  const marks: Marks = { entries: new Set(), optional: new Set() };
  const walk = (scope: string, messages: readonly MessageDescriptor[] = []) => {
    for (const m of messages) {
      const full = `${scope}.${m.name}`;
      if (m.options?.mapEntry) marks.entries.add(full);
      for (const f of m.field ?? []) if (f.proto3Optional) marks.optional.add(`${full}.${f.name}`);
      walk(full, m.nestedType);
    }
  };
  for (const f of files) walk(f.package ? `.${f.package}` : "", f.messageType);
  return marks;
}

// Rewrites a type's JSON: `repeated XEntry` fields become map fields, XEntry types go away, proto3
// `optional` fields get the option the parser gives them.
function corrected(json: Json, scope: string, marks: Marks): Json {
  const { entries } = marks;
  const out: Json = { ...json };
  const nested = json.nested as Record<string, Json> | undefined;
  if (json.fields) {
    out.fields = Object.fromEntries(
      Object.entries(json.fields as Record<string, Json>).map(([name, f]) => {
        const entry = entries.has(String(f.type)) ? nested?.[String(f.type).split(".").pop()!] : undefined;
        if (marks.optional.has(`${scope}.${name}`)) {
          return [name, { ...f, options: { ...(f.options as Json), proto3_optional: true } }];
        }
        if (!entry) return [name, f];
        const { key, value } = entry.fields as Record<string, Json>;
        const { rule: _repeated, ...rest } = f;
        return [name, { ...rest, keyType: key!.type, type: value!.type }];
      }),
    );
    if (out.options) {
      const { map_entry: _wrong, ...options } = out.options as Json;
      if (Object.keys(options).length) out.options = options;
      else delete out.options;
    }
  }
  if (nested) {
    const kept = Object.entries(nested)
      .filter(([name]) => !entries.has(`${scope}.${name}`))
      .map(([name, v]) => [name, corrected(v, `${scope}.${name}`, marks)] as const);
    if (kept.length) out.nested = Object.fromEntries(kept);
    else delete out.nested;
  }
  return out;
}

export function rootOfDescriptors(files: readonly FileDescriptor[]): protobuf.Root {
  const raw = (
    protobuf.Root as unknown as { fromDescriptor(set: { file: readonly FileDescriptor[] }): protobuf.Root }
  ).fromDescriptor({ file: files });
  const root = protobuf.Root.fromJSON(corrected(raw.toJSON() as Json, "", marksOf(files)));
  root.resolveAll();
  return root;
}
