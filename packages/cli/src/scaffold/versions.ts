// Versions a new project depends on: the framework's own release line, and the toolchain this
// workspace is tested with (so the scaffold builds with what CI proved).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Versions } from "./files.js";

interface Pkg {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const read = (url: URL) => JSON.parse(readFileSync(url, "utf8")) as Pkg;

export function scaffoldVersions(): Versions {
  const cli = read(new URL("../../package.json", import.meta.url));
  const require = createRequire(import.meta.url);
  const core = require("@micro/core/package.json") as Pkg;
  const codegen = require("@micro/codegen/package.json") as Pkg;
  const dev = cli.devDependencies ?? {};
  const protobufjs = codegen.dependencies?.protobufjs;
  if (!protobufjs) throw new Error("@micro/codegen does not declare its protobufjs version");
  return {
    micro: core.version,
    protobufjs,
    typescript: dev.typescript ?? "5.9.3",
    vitest: dev.vitest ?? "5.1.1",
    typesNode: dev["@types/node"] ?? "22.20.5",
  };
}
