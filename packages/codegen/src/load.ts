// Reads .proto files with protobufjs (no protoc needed) into the emitters' model.
import protobuf from "protobufjs";
import type { EnumModel, FieldModel, MessageModel, MethodModel, ProtoModel, ServiceModel } from "./model.js";
import { isWellKnown } from "./well-known.js";

const { Enum, Namespace, Root, Service, Type, util } = protobuf;

function tsNameOf(obj: protobuf.ReflectionObject): string {
  const parts: string[] = [];
  for (let o: protobuf.ReflectionObject | null = obj; o && !(o instanceof Root); o = o.parent) {
    if (o instanceof Type || o instanceof Enum) parts.unshift(o.name);
    else break;
  }
  return parts.join("_");
}

const fullNameOf = (obj: protobuf.ReflectionObject) => obj.fullName.replace(/^\./, "");

function packageOf(obj: protobuf.ReflectionObject): string {
  const parts: string[] = [];
  for (let o = obj.parent; o && !(o instanceof Root); o = o.parent) {
    if (o instanceof Namespace && !(o instanceof Type)) parts.unshift(o.name);
  }
  return parts.join(".");
}

function fieldOf(f: protobuf.Field): FieldModel {
  const resolved = f.resolvedType;
  const kind = resolved instanceof Type ? "message" : resolved instanceof Enum ? "enum" : "scalar";
  const model: FieldModel = {
    protoName: f.name,
    jsonName: util.camelCase(f.name),
    type: resolved ? fullNameOf(resolved) : f.type,
    kind,
    repeated: f.repeated,
  };
  if (f instanceof protobuf.MapField) model.mapKey = f.keyType;
  if (f.partOf && !f.options?.proto3_optional) model.oneof = f.partOf.name;
  return model;
}

function methodOf(m: protobuf.Method): MethodModel {
  return {
    name: m.name,
    requestType: fullNameOf(m.resolvedRequestType!),
    responseType: fullNameOf(m.resolvedResponseType!),
    requestStream: !!m.requestStream,
    responseStream: !!m.responseStream,
  };
}

type Json = Record<string, unknown>;

// Services have no use at run time (the generated code names endpoints itself); dropping them keeps
// the embedded descriptor to what the codecs read.
function withoutServices(json: Json): Json {
  const nested = json.nested as Record<string, Json> | undefined;
  if (!nested) return json;
  const kept = Object.entries(nested)
    .filter(([, v]) => !("methods" in v))
    .map(([k, v]) => [k, withoutServices(v)] as const)
    .filter(([, v]) => "fields" in v || "values" in v || v.nested);
  const out: Json = { ...json };
  if (kept.length) out.nested = Object.fromEntries(kept);
  else delete out.nested;
  return out;
}

/** The messages and enums as protobufjs JSON, with the field names @micro/codec-proto uses. */
async function descriptorOf(files: readonly string[]): Promise<Json> {
  const root = new Root();
  await root.load([...files], { keepCase: false });
  root.resolveAll();
  return withoutServices(root.toJSON() as Json);
}

/** Loads the files (imports resolved relative to each file) and only emits what they declare. */
export async function loadProto(files: readonly string[]): Promise<ProtoModel> {
  const root = new Root();
  await root.load([...files], { keepCase: true });
  root.resolveAll();
  // Services come from the named files only; messages and enums from every loaded file, so the
  // output is self-contained (imports from other .proto files need no other generated module).
  const own = new Set(files.map((f) => root.resolvePath("", f)));
  const model: ProtoModel = { messages: [], enums: [], services: [], descriptor: await descriptorOf(files) };
  const visit = (ns: protobuf.NamespaceBase) => {
    for (const obj of ns.nestedArray) {
      if (obj instanceof Type) {
        if (!isWellKnown(fullNameOf(obj))) {
          const m: MessageModel = {
            fullName: fullNameOf(obj),
            tsName: tsNameOf(obj),
            name: obj.name,
            fields: obj.fieldsArray.map(fieldOf),
          };
          model.messages.push(m);
        }
        visit(obj);
      } else if (obj instanceof Enum) {
        if (!isWellKnown(fullNameOf(obj))) {
          const e: EnumModel = {
            fullName: fullNameOf(obj),
            tsName: tsNameOf(obj),
            values: Object.entries(obj.values),
          };
          model.enums.push(e);
        }
      } else if (obj instanceof Service) {
        if (own.has(obj.filename ?? "")) {
          const s: ServiceModel = {
            name: obj.name,
            packageName: packageOf(obj),
            methods: obj.methodsArray.map(methodOf),
          };
          model.services.push(s);
        }
      } else if (obj instanceof Namespace) {
        visit(obj);
      }
    }
  };
  visit(root);
  return model;
}
