// Reads .proto files with protobufjs (no protoc needed) into the emitters' model.
import protobuf from "protobufjs";
import type { ProtoModel } from "./model.js";
import { modelOfRoot } from "./model-of-root.js";

/** Loads the files (imports resolved relative to each file); services come from these files only. */
export async function loadProto(files: readonly string[]): Promise<ProtoModel> {
  const root = new protobuf.Root();
  await root.load([...files], { keepCase: true });
  root.resolveAll();
  const own = new Set(files.map((f) => root.resolvePath("", f)));
  return modelOfRoot(root, (service) => own.has(service.filename ?? ""));
}
