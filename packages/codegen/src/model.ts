// What the emitters need from a .proto, independent of protobufjs: messages, enums and services
// with fully qualified names, so two files of one package can refer to each other's types.

export interface FieldModel {
  /** As written in the .proto (go-micro's registry schema uses these). */
  protoName: string;
  /** lowerCamelCase, the name protojson and the JSON codec use on the wire. */
  jsonName: string;
  /** Scalar name (`int64`, `string`...) or the fully qualified message/enum name. */
  type: string;
  kind: "scalar" | "message" | "enum";
  repeated: boolean;
  /** For map fields: the key's scalar type (the value is described by type/kind). */
  mapKey?: string;
  /** The real (not proto3 `optional`) oneof this field belongs to: Go gives the group one field. */
  oneof?: string;
}

export interface MessageModel {
  fullName: string;
  /** Name used in TypeScript: nested messages are joined with `_` (Outer_Inner). */
  tsName: string;
  /** The short proto name, used in registry schemas (go-micro advertises Go type names). */
  name: string;
  fields: FieldModel[];
}

export interface EnumModel {
  fullName: string;
  tsName: string;
  values: [string, number][];
}

export interface MethodModel {
  /** As in the .proto (`SayHello`); the go-micro endpoint is `Service.SayHello`. */
  name: string;
  requestType: string;
  responseType: string;
  requestStream: boolean;
  responseStream: boolean;
}

export interface ServiceModel {
  name: string;
  /** The proto package, whose last segment is the default service name clients call. */
  packageName: string;
  methods: MethodModel[];
}

export interface ProtoModel {
  messages: MessageModel[];
  enums: EnumModel[];
  services: ServiceModel[];
  /**
   * protobufjs JSON descriptor of every loaded message and enum (field names lowerCamelCase, as
   * @micro/codec-proto loads them), embedded in the output so the codecs get real message types.
   */
  descriptor: Record<string, unknown>;
}
