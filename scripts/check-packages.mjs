// Checks every workspace package has the published shape we promise: ESM, the root's `engines.node`,
// `exports` with types, `files`, a README and tests (type-checked: a typecheck script, tsconfig.json
// including test/),
// and @micro/core as a PEER dependency (one copy of core, so one plugin table, per application).
// What a user gets from the registry: the repository's LICENSE, the repository/homepage/bugs of its
// folder in the repository named by the root package.json, declaration and source maps whose
// sources ship with them, and no scripts or devDependencies (the .pnpmfile.cjs hook drops them at
// pack time). Exits non-zero listing every problem; `--fix` writes the LICENSE copies, the metadata
// and `files` first (after changing the repository URL in the root package.json, run it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const fix = process.argv.includes("--fix");
const readJson = (f) => JSON.parse(readFileSync(f, "utf8"));
const rootPkg = readJson(join(root, "package.json"));
const license = existsSync(join(root, "LICENSE")) ? readFileSync(join(root, "LICENSE"), "utf8") : undefined;
const repoUrl = rootPkg.repository?.url ?? "";
const web = repoUrl.replace(/^git\+/, "").replace(/\.git$/, "");
const { beforePacking } = createRequire(import.meta.url)(join(root, ".pnpmfile.cjs")).hooks;
// tsc writes .d.ts.map / .js.map pointing at ../src: the sources must ship for them to resolve
const compilerOptions = (f) => (existsSync(f) ? (readJson(f).compilerOptions ?? {}) : {});
const baseOptions = compilerOptions(join(root, "tsconfig.base.json"));

const problems = [];
if (!license) problems.push("LICENSE: missing at the root");
if (!rootPkg.license || !/^https:\/\/\S+$/.test(web))
  problems.push(
    'package.json (root): "license" and "repository.url" (git+https://...git) say what packages publish',
  );
for (const dir of readdirSync(join(root, "packages"))) {
  const base = join(root, "packages", dir);
  const file = join(base, "package.json");
  if (!existsSync(file)) continue;
  const pkg = readJson(file);
  const say = (m) => problems.push(`${pkg.name ?? dir}: ${m}`);
  if (fix) fixPackage(pkg, dir, base, file);
  if (pkg.type !== "module") say('"type" must be "module"');
  // the Node.js range is one promise: core refuses an older Node at import and the CLI's binary at start
  if (pkg.engines?.node !== rootPkg.engines?.node)
    say(
      `"engines.node" must be "${rootPkg.engines?.node}", the root's (core and the CLI enforce it at run time)`,
    );
  const main = pkg.exports?.["."] ?? Object.values(pkg.exports ?? {})[0];
  if (!main || typeof main !== "object" || !main.types || !main.default)
    say('"exports" needs { types, default } entries');
  if (!Array.isArray(pkg.files) || !pkg.files.includes("dist")) say('"files" must include "dist"');
  if (!existsSync(join(base, "README.md"))) say("no README.md");
  if (!existsSync(join(base, "test"))) say("no test/ directory");
  // `pnpm test` runs every package's typecheck, which must cover the tests as well as src
  if (!pkg.scripts?.typecheck) say('no "typecheck" script');
  const tsconfig = existsSync(join(base, "tsconfig.json"))
    ? JSON.parse(readFileSync(join(base, "tsconfig.json"), "utf8"))
    : {};
  for (const dir of ["src", "test"])
    if (!tsconfig.include?.includes(dir)) say(`tsconfig.json must include "${dir}" (typecheck covers it)`);
  if (pkg.name !== "@micro/core") {
    if (pkg.dependencies?.["@micro/core"]) say("@micro/core must be a peerDependency, not a dependency");
    if (!pkg.peerDependencies?.["@micro/core"]) say("@micro/core must be a peerDependency");
  } else if (Object.keys(pkg.dependencies ?? {}).length > 0) {
    say("core must have no runtime dependencies");
  }
  if (pkg.name && !pkg.name.startsWith("@micro/")) say("package names are @micro/*");
  if (pkg.private) continue;
  if (pkg.license !== rootPkg.license) say(`"license" must be "${rootPkg.license}", the repository's`);
  if (
    !license ||
    !existsSync(join(base, "LICENSE")) ||
    readFileSync(join(base, "LICENSE"), "utf8") !== license
  )
    say("LICENSE must be a copy of the root LICENSE (node scripts/check-packages.mjs --fix)");
  for (const [field, want] of Object.entries(metadata(dir)))
    if (!isDeepStrictEqual(pkg[field], want)) say(`"${field}" must be ${JSON.stringify(want)} (--fix)`);
  if (pkg.scripts?.build !== "node ../../scripts/build-package.mjs")
    say(
      '"build" must be "node ../../scripts/build-package.mjs": it keeps stale files out of dist/ (and the tarball)',
    );
  if (mapsPointAtSources(base) && !pkg.files?.includes("src"))
    say('"files" must include "src": the .d.ts.map and .js.map files point at it (--fix)');
  const packed = beforePacking(structuredClone(pkg));
  for (const field of ["scripts", "devDependencies"])
    if (packed[field]) say(`the packed package.json would carry "${field}" (see .pnpmfile.cjs)`);
}
/** repository, homepage and bugs of a package: its folder in the repository the root names. */
function metadata(dir) {
  return {
    repository: { type: "git", url: repoUrl, directory: `packages/${dir}` },
    homepage: `${web}/tree/main/packages/${dir}#readme`,
    bugs: { url: `${web}/issues` },
  };
}

function mapsPointAtSources(base) {
  const o = { ...baseOptions, ...compilerOptions(join(base, "tsconfig.build.json")) };
  return !!(o.declarationMap || (o.sourceMap && !o.inlineSources));
}

/** Writes what --fix can: the LICENSE copy, the metadata after "license", "src" in "files". */
function fixPackage(pkg, dir, base, file) {
  if (pkg.private) return;
  if (license) writeFileSync(join(base, "LICENSE"), license);
  const entries = Object.entries(pkg).filter(([k]) => !(k in metadata(dir)));
  const at = entries.findIndex(([k]) => k === "license") + 1 || entries.length;
  entries.splice(at, 0, ...Object.entries(metadata(dir)));
  const out = Object.fromEntries(entries);
  if (Array.isArray(out.files) && mapsPointAtSources(base) && !out.files.includes("src"))
    out.files.push("src");
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  Object.assign(pkg, out);
}

if (problems.length) {
  console.error(`package checks failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`package checks: ${readdirSync(join(root, "packages")).length} packages ok`);
