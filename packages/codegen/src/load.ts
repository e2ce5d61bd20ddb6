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

/** Loads the files (imports resolved relative to each file) and only emits what they declare. */
export async function loadProto(files: readonly string[]): Promise<ProtoModel> {
  const root = new Root();
  await root.load([...files], { keepCase: true });
  root.resolveAll();
  // Services come from the named files only; messages and enums from every loaded file, so the
  // output is self-contained (imports from other .proto files need no other generated module).
  const own = new Set(files.map((f) => root.resolvePath("", f)));
  const model: ProtoModel = { messages: [], enums: [], services: [] };
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
