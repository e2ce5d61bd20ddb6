#!/usr/bin/env node
// micro-gen <file.proto>... [--out dir] [--name file.ts]: writes the generated module.
import { runGen } from "./run.js";

process.exitCode = await runGen(process.argv.slice(2), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
});
