// protoc's plugin messages (google/protobuf/compiler/plugin.proto), read and written by hand: only
// the few fields a generator needs, so no plugin.proto has to ship with the package.
import protobuf from "protobufjs";

export interface CodeGeneratorRequest {
  fileToGenerate: string[];
  parameter: string;
  /** Serialized FileDescriptorProtos: every file to generate and all it imports, imports first. */
  protoFile: Uint8Array[];
}

export interface CodeGeneratorResponse {
  error?: string;
  files: { name: string; content: string }[];
}

const LENGTH_DELIMITED = 2;
const VARINT = 0;
const key = (field: number, wireType: number) => (field << 3) | wireType;
// CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL: the generator handles proto3 `optional`.
const FEATURE_PROTO3_OPTIONAL = 1;

export function decodeRequest(data: Uint8Array): CodeGeneratorRequest {
  const r = protobuf.Reader.create(data);
  const req: CodeGeneratorRequest = { fileToGenerate: [], parameter: "", protoFile: [] };
  while (r.pos < r.len) {
    const tag = r.uint32();
    switch (tag >>> 3) {
      case 1:
        req.fileToGenerate.push(r.string());
        break;
      case 2:
        req.parameter = r.string();
        break;
      case 15:
        req.protoFile.push(r.bytes());
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  return req;
}

export function encodeResponse(res: CodeGeneratorResponse): Uint8Array {
  const w = protobuf.Writer.create();
  if (res.error !== undefined) w.uint32(key(1, LENGTH_DELIMITED)).string(res.error);
  w.uint32(key(2, VARINT)).uint64(FEATURE_PROTO3_OPTIONAL);
  for (const f of res.files) {
    w.uint32(key(15, LENGTH_DELIMITED)).fork();
    w.uint32(key(1, LENGTH_DELIMITED)).string(f.name);
    w.uint32(key(15, LENGTH_DELIMITED)).string(f.content);
    w.ldelim();
  }
  return w.finish();
}
