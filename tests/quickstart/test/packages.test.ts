// What users get from the registry, checked on the tarballs `pnpm pack` makes (what `pnpm publish`
// uploads) of every public package: the repository's LICENSE, repository/homepage/bugs, no scripts
// or devDependencies, no workspace ranges, dist/ built from src/ (no stale files) and declaration
// and source maps whose sources are in the tarball.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack, ROOT } from "../../../scripts/pack.mjs";

const exec = promisify(execFile);
const LICENSE = readFileSync(join(ROOT, "LICENSE"), "utf8");
const TOP_LEVEL = new Set(["package.json", "README.md", "LICENSE", "CHANGELOG.md", "dist", "src"]);

let work: string;
/** Package name -> the directory its tarball was unpacked into. */
const unpacked = new Map<string, string>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "micro-packages-"));
  const tarballs = await pack([], join(work, "packs"));
  for (const [name, file] of Object.entries(tarballs)) {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    await exec("tar", ["-xzf", file, "-C", dir, "--strip-components=1"]);
    unpacked.set(name, dir);
  }
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

describe("the published tarballs", () => {
  it("are every public package", () => {
    expect(unpacked.size).toBeGreaterThan(20);
  });

  it("carry the LICENSE and the metadata, and nothing that needs this repository", () => {
    for (const [name, dir] of unpacked) {
      const pkg = JSON.parse(read(dir, "package.json"));
      expect(read(dir, "LICENSE"), name).toBe(LICENSE);
      expect(pkg.license, name).toBe("Apache-2.0");
      expect(pkg.repository?.directory, name).toMatch(/^packages\/[\w-]+$/);
      expect(pkg.homepage, name).toMatch(/^https:\/\//);
      expect(pkg.bugs?.url, name).toMatch(/^https:\/\//);
      expect(pkg.scripts, name).toBeUndefined();
      expect(pkg.devDependencies, name).toBeUndefined();
      const ranges = [pkg.dependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((d) =>
        Object.values(d ?? {}),
      );
      expect(
        ranges.filter((r) => String(r).startsWith("workspace:")),
        name,
      ).toEqual([]);
      // beyond the usual entries, only what the package declares it ships (the dashboard's assets)
      const declared = new Set<string>(pkg.files ?? []);
      expect(
        readdirSync(dir).filter((f) => !TOP_LEVEL.has(f) && !declared.has(f)),
        name,
      ).toEqual([]);
    }
  });

  it("ship dist/ built from src/, and maps whose sources resolve", () => {
    for (const [name, dir] of unpacked) {
      const files = walk(dir);
      const built = files.filter((f) => f.startsWith("dist/"));
      expect(built.length, name).toBeGreaterThan(0);
      for (const f of built) {
        // every file tsc writes comes from a source; anything else is left over from an old build
        const source = f.replace(/^dist\//, "src/").replace(/(\.d)?\.js(\.map)?$|\.d\.ts(\.map)?$/, ".ts");
        expect(files, `${name}: ${f} has no source`).toContain(source);
        if (!f.endsWith(".map")) continue;
        const map = JSON.parse(read(dir, f)) as { sources: string[] };
        for (const s of map.sources)
          expect(existsSync(join(dir, dirname(f), s)), `${name}: ${f} -> ${s}`).toBe(true);
      }
    }
  });
});
