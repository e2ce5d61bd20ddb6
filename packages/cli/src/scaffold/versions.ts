// Versions a new project depends on: the framework's own release line, and the toolchain this
// workspace is tested with (so the scaffold builds with what CI proved).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Versions } from "./files.js";

interface Pkg {
  version: string;
  devDependencies?: Record<string, string>;
}

const read = (url: URL) => JSON.parse(readFileSync(url, "utf8")) as Pkg;

export function scaffoldVersions(): Versions {
  const cli = read(new URL("../../package.json", import.meta.url));
  const core = createRequire(import.meta.url)("@micro/core/package.json") as Pkg;
  const dev = cli.devDependencies ?? {};
  return {
    micro: core.version,
    typescript: dev.typescript ?? "5.9.3",
    vitest: dev.vitest ?? "5.1.1",
    typesNode: dev["@types/node"] ?? "22.20.5",
  };
}
