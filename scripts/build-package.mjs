// A package's build (its "build" script, run in its directory): tsc -p tsconfig.build.json, then
// everything in dist/ that this build did not write is removed (the output of a deleted or renamed
// source), so no stale file is ever packed and published. dist/ is not emptied first: a test packing
// the package meanwhile never finds it missing.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const out = execFileSync("tsc", ["-p", "tsconfig.build.json", "--listEmittedFiles"], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
const emitted = new Set(
  out
    .split("\n")
    .filter((l) => l.startsWith("TSFILE: "))
    .map((l) => resolve(l.slice("TSFILE: ".length).trim())),
);
if (emitted.size === 0) throw new Error("tsc emitted nothing: is tsconfig.build.json right?");

/** Removes files of `dir` tsc did not write, and directories left empty; true if `dir` is empty. */
function prune(dir) {
  let left = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = resolve(dir, e.name);
    if (e.isDirectory() ? prune(path) : !emitted.has(path)) rmSync(path, { recursive: true, force: true });
    else left++;
  }
  return left === 0;
}
if (existsSync("dist")) prune(join(process.cwd(), "dist"));
