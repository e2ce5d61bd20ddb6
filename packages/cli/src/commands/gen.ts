// `micro gen <file.proto>...`: typed clients and handler interfaces from protobuf definitions.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { generate } from "@micro/codegen";
import { UsageError } from "../args.js";
import type { Command } from "../command.js";

export const genCommand: Command = {
  names: [["gen"], ["gen", "proto"], ["generate", "proto"]],
  usage: "micro gen <file.proto>... [--out dir] [--name file.ts] [--service name]",
  summary: "Generate a typed client and handler interface from .proto files",
  options: [
    { name: "out", type: "string", description: "Directory to write to (default .)" },
    { name: "name", type: "string", description: "Output file name (default <proto>.micro.ts)" },
    {
      name: "service",
      type: "string",
      description: "Service name the generated clients call by default (default: the proto package)",
    },
  ],
  async run(rt) {
    const protos = rt.args.positionals;
    if (protos.length === 0) throw new UsageError("gen needs at least one .proto file");
    const out = resolve(typeof rt.args.options.out === "string" ? rt.args.options.out : ".");
    const name = typeof rt.args.options.name === "string" ? rt.args.options.name : undefined;
    const service = typeof rt.args.options.service === "string" ? rt.args.options.service : undefined;
    let files: Awaited<ReturnType<typeof generate>>;
    // codegen brings protobufjs: loaded only by the command that generates (issue 19)
    const codegen = await import("@micro/codegen");
    try {
      files = await codegen.generate(protos, { fileName: name, serviceName: service });
    } catch (err) {
      throw new Error(`cannot generate from ${protos.join(", ")}: ${(err as Error).message.split("\n")[0]}`);
    }
    await mkdir(out, { recursive: true });
    const written: string[] = [];
    for (const f of files) {
      const path = join(out, f.path);
      await writeFile(path, f.content);
      written.push(path);
    }
    rt.io.out(
      rt.format === "json" ? JSON.stringify({ files: written }) : written.map((p) => `wrote ${p}`).join("\n"),
    );
    return 0;
  },
};
