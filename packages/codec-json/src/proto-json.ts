// Protobuf messages as JSON in the form every go-micro version reads (protojson since v5.14, jsonpb before:
// https://github.com/micro/go-micro/blob/v5.30.0/codec/json/json.go): send original proto field names
// (what every Go decoder accepts), accept lowerCamelCase and snake_case, 64-bit integers as numbers
// or strings, enums as names or numbers. Works on protobufjs reflection (`load`ed Types); types
// without reflection (static code) are converted with their own field names.
import type { MessageType } from "@micro/core";

/** The protobufjs toObject options for values handed to application code, shared with codec-proto. */
export const TO_APPLICATION = {
  longs: String,
  enums: String,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: true,
} as const;

// protojson's output form: zero values omitted, 64-bit as strings, enums as names, bytes as base64.
const TO_WIRE = { longs: String, enums: String, bytes: String, json: true } as const;

interface ReflectedField {
  name: string;
  map?: boolean;
  repeated?: boolean;
  resolvedType?: unknown;
  options?: Record<string, unknown>;
}

interface Reflected {
  fieldsArray?: ReflectedField[];
  resolveAll?(): unknown;
}

interface FieldNames {
  // any accepted spelling -> the field as the type names it
  accepted: Map<string, ReflectedField>;
  // the type's own name -> the original proto name sent on the wire
  wire: Map<string, string>;
  fields: ReflectedField[];
}

const namesCache = new WeakMap<object, FieldNames | null>();

// protobufjs camelCases `foo_bar` to `fooBar` unless loaded with keepCase; undo exactly that.
export function protoName(name: string): string {
  return name.charAt(0) + name.slice(1).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function jsonName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function namesOf(type: unknown): FieldNames | null {
  if (!type || (typeof type !== "object" && typeof type !== "function")) return null;
  const cached = namesCache.get(type as object);
  if (cached !== undefined) return cached;
  const reflected = type as Reflected;
  let names: FieldNames | null = null;
  if (Array.isArray(reflected.fieldsArray)) {
    try {
      reflected.resolveAll?.(); // fills resolvedType of nested message fields
    } catch {
      // unresolvable references surface later from fromObject with a clearer message
    }
    names = { accepted: new Map(), wire: new Map(), fields: reflected.fieldsArray };
    for (const f of reflected.fieldsArray) {
      const wire = protoName(f.name);
      names.wire.set(f.name, wire);
      const custom = f.options?.json_name;
      for (const alias of [f.name, wire, jsonName(f.name), jsonName(wire), custom]) {
        if (typeof alias === "string" && !names.accepted.has(alias)) names.accepted.set(alias, f);
      }
    }
  }
  namesCache.set(type as object, names);
  return names;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

// Applies `convert` to the nested message values of a field (single, repeated, or map values).
function eachMessage(field: ReflectedField, value: unknown, convert: (type: unknown, v: unknown) => unknown) {
  const type = field.resolvedType;
  if (!namesOf(type)) return value;
  if (field.map && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(type, v)]));
  }
  if (Array.isArray(value)) return value.map((v) => convert(type, v));
  return convert(type, value);
}

/** Renames the keys of a toObject result to original proto names, depth first. */
function toWireNames(type: unknown, value: unknown): unknown {
  const names = namesOf(type);
  if (!names || !isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = names.accepted.get(key);
    if (!field) {
      out[key] = v;
      continue;
    }
    out[names.wire.get(field.name) ?? key] = eachMessage(field, v, toWireNames);
  }
  return out;
}

/** Renames whatever spelling a peer sent to the type's own field names, depth first. */
function toTypeNames(type: unknown, value: unknown): unknown {
  const names = namesOf(type);
  if (!names || !isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = names.accepted.get(key);
    // unknown fields are dropped by fromObject; being lenient here costs nothing
    if (!field) continue;
    out[field.name] = eachMessage(field, v, toTypeNames);
  }
  return out;
}

export function canConvert(
  type: MessageType | undefined,
): type is MessageType & Required<Pick<MessageType, "fromObject" | "toObject">> {
  return typeof type?.fromObject === "function" && typeof type.toObject === "function";
}

/** A message (or a plain object shaped like one) as the JSON object Go peers expect. */
export function messageToWire(
  type: MessageType & Required<Pick<MessageType, "fromObject" | "toObject">>,
  value: unknown,
): unknown {
  const message = type.fromObject(value as Record<string, unknown>);
  return toWireNames(type, type.toObject(message, TO_WIRE));
}

/** Parsed JSON from a peer as the plain object application code gets (as from codec-proto). */
export function wireToApplication(
  type: MessageType & Required<Pick<MessageType, "fromObject" | "toObject">>,
  value: unknown,
): unknown {
  const message = type.fromObject(toTypeNames(type, value) as Record<string, unknown>);
  return type.toObject(message, TO_APPLICATION);
}
