// protoc-gen-micro-ts: the generator as a protoc plugin, for builds that already run protoc (or
// buf). One module per .proto asked for, next to where protoc would put it: `a/b.proto` →
// `a/b.micro.ts`, holding that file's services and the messages of it and its imports.
import { decodeFile, type FileDescriptor, rootOfDescriptors } from "./from-descriptors.js";
import { emitModule } from "./generate.js";
import { modelOfRoot } from "./model-of-root.js";
import { type CodeGeneratorResponse, decodeRequest, encodeResponse } from "./protoc-wire.js";

/** `service=<name>` (the default service name of the clients) is the only parameter. */
function parseParameter(parameter: string): { serviceName?: string } {
  const out: { serviceName?: string } = {};
  for (const part of parameter.split(",").filter(Boolean)) {
    const [k, v] = part.split("=", 2);
    if (k === "service" && v) out.serviceName = v;
    else throw new Error(`unknown parameter "${part}" (known: service=<name>)`);
  }
  return out;
}

/** The file and everything it imports, in protoc's order (imports first). */
function closure(name: string, byName: Map<string, FileDescriptor>): FileDescriptor[] {
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of byName.get(n)?.dependency ?? []) visit(d);
  };
  visit(name);
  return [...byName.values()].filter((f) => seen.has(f.name));
}

function generateFor(name: string, byName: Map<string, FileDescriptor>, serviceName?: string) {
  const file = byName.get(name);
  if (!file) throw new Error(`protoc sent no descriptor for ${name}`);
  const root = rootOfDescriptors(closure(name, byName));
  const own = new Set((file.service ?? []).map((s) => [file.package, s.name].filter(Boolean).join(".")));
  const model = modelOfRoot(root, (s) => own.has(s.fullName.replace(/^\./, "")));
  return { name: name.replace(/\.proto$/, ".micro.ts"), content: emitModule(model, [name], { serviceName }) };
}

/** A serialized CodeGeneratorRequest in, a serialized CodeGeneratorResponse out. */
export function runPlugin(request: Uint8Array): Uint8Array {
  const res: CodeGeneratorResponse = { files: [] };
  try {
    const req = decodeRequest(request);
    const { serviceName } = parseParameter(req.parameter);
    const files = req.protoFile.map(decodeFile);
    const byName = new Map(files.map((f) => [f.name, f]));
    for (const name of req.fileToGenerate) res.files.push(generateFor(name, byName, serviceName));
  } catch (err) {
    // protoc prints the error with the plugin's name and fails the build
    return encodeResponse({ error: err instanceof Error ? err.message : String(err), files: [] });
  }
  return encodeResponse(res);
}
