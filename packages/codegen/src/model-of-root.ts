// A protobufjs Root (loaded from .proto files, or built from protoc's descriptors) as the emitters'
// model. The Root keeps field names as written in the .proto.
import protobuf from "protobufjs";
import type { EnumModel, FieldModel, MessageModel, MethodModel, ProtoModel, ServiceModel } from "./model.js";
import { runtimeDescriptor } from "./runtime-descriptor.js";
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

/**
 * Services for which `isOwn` says yes; messages and enums from the whole Root, so the output is
 * self-contained (types imported from other .proto files need no other generated module).
 */
export function modelOfRoot(root: protobuf.Root, isOwn: (service: protobuf.Service) => boolean): ProtoModel {
  const model: ProtoModel = { messages: [], enums: [], services: [], descriptor: runtimeDescriptor(root) };
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
        if (isOwn(obj)) {
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
