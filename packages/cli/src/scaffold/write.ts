// Writes a new project: every file in one place, refusing to overwrite an existing directory.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { generate } from "@micro/codegen";
import { UsageError } from "../args.js";
import { handler, main, service, subscriber } from "./code.js";
import {
  dockerfile,
  dockerignore,
  gitignore,
  packageJson,
  proto,
  readme,
  tsconfig,
  tsconfigBuild,
  type Versions,
} from "./files.js";
import type { ScaffoldNames } from "./names.js";
import { testFile } from "./test-file.js";
import { indexHtml, webServer } from "./web.js";

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/** Returns the paths written, relative to `dir`, in order. */
export async function writeScaffold(
  dir: string,
  n: ScaffoldNames,
  versions: Versions,
  progress: (path: string) => void,
): Promise<string[]> {
  if (!(await isEmptyOrMissing(dir))) throw new UsageError(`${dir} exists and is not empty`);
  const files: [string, string][] = [
    ["package.json", packageJson(n, versions)],
    ["tsconfig.json", tsconfig],
    ["tsconfig.build.json", tsconfigBuild],
    [".gitignore", gitignore],
    ["Dockerfile", dockerfile(n)],
    [".dockerignore", dockerignore],
    ["README.md", readme(n)],
    [`proto/${n.alias}.proto`, proto(n)],
    ["src/handler.ts", handler(n)],
    ["src/subscriber.ts", subscriber(n)],
    ["src/service.ts", service(n)],
    ["src/main.ts", main(n)],
    [`test/${n.alias}.test.ts`, testFile(n)],
  ];
  if (n.type === "web") files.push(["src/web.ts", webServer(n)], ["public/index.html", indexHtml(n)]);
  const written: string[] = [];
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
    written.push(path);
    progress(path);
  }
  // The generated module is written now too, so the project builds before anyone runs `npm run gen`.
  // Clients it generates call this service by default (the same --service as the `gen` script).
  for (const f of await generate([join(dir, `proto/${n.alias}.proto`)], { serviceName: n.fqdn })) {
    const path = `src/gen/${f.path}`;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), f.content);
    written.push(path);
    progress(path);
  }
  return written;
}
