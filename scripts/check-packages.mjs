// Checks every workspace package has the published shape we promise: ESM, `exports` with types,
// `files`, a README and tests (type-checked: a typecheck script, tsconfig.json including test/),
// and @micro/core as a PEER dependency (one copy of core, so one plugin table, per application).
// Exits non-zero listing every problem.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const problems = [];
for (const dir of readdirSync(join(root, "packages"))) {
  const base = join(root, "packages", dir);
  const file = join(base, "package.json");
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  const say = (m) => problems.push(`${pkg.name ?? dir}: ${m}`);
  if (pkg.type !== "module") say('"type" must be "module"');
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
}
if (problems.length) {
  console.error(`package checks failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`package checks: ${readdirSync(join(root, "packages")).length} packages ok`);
