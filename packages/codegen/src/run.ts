// The command behind `micro-gen` and `micro gen`: parse arguments, generate, write, report.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "./generate.js";

export interface GenIo {
  out(line: string): void;
  err(line: string): void;
}

export const GEN_USAGE =
  "Usage: micro gen <file.proto>... [--out dir] [--name file.ts] [--service name clients call by default]";

/** Returns the exit code: 0 written, 1 the .proto could not be read or compiled, 2 usage. */
export async function runGen(argv: readonly string[], io: GenIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        name: { type: "string" },
        service: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    io.err(`error: ${(err as Error).message}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(GEN_USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    io.err(`error: no .proto file given. ${GEN_USAGE}`);
    return 2;
  }
  const outDir = (parsed.values.out as string | undefined) ?? ".";
  try {
    const files = await generate(parsed.positionals, {
      fileName: parsed.values.name as string | undefined,
      serviceName: parsed.values.service as string | undefined,
    });
    await mkdir(outDir, { recursive: true });
    for (const f of files) {
      const path = join(outDir, f.path);
      await writeFile(path, f.content);
      io.out(`wrote ${path}`);
    }
    return 0;
  } catch (err) {
    io.err(`error: ${(err as Error).message}`);
    return 1;
  }
}
