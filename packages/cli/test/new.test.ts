// `micro new` end to end: the real binary writes a project, which is installed the way a user
// would (the framework's packages as the tarballs `pnpm pack` makes for publishing, everything
// else from the npm registry), compiled with its own tsc, and tested with its own test. Also
// `micro gen` through the binary.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { micro } from "./helpers.js";

const exec = promisify(execFile);
const root = new URL("../../..", import.meta.url).pathname;
// What a scaffold depends on, directly or through @micro/defaults.
const PACKED = [
  "core",
  "defaults",
  "codegen",
  "broker-http",
  "broker-memory",
  "codec-bytes",
  "codec-json",
  "codec-proto",
  "registry-mdns",
  "registry-memory",
  "selector",
  "transport-http",
];

let work: string;
const overrides: Record<string, string> = {};

async function pnpm(cwd: string, ...args: string[]) {
  return exec("pnpm", args, { cwd, env: { ...process.env, CI: "true" }, maxBuffer: 16 << 20 });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "micro-new-"));
  const packs = join(work, "packs");
  for (const p of PACKED) await pnpm(join(root, "packages", p), "pack", "--pack-destination", packs);
  for (const f of await readdir(packs)) {
    const name = /^micro-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(f)?.[1];
    if (name) overrides[`@micro/${name}`] = `file:${join(packs, f)}`;
  }
  expect(Object.keys(overrides)).toHaveLength(PACKED.length);
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

async function installWorkspacePackages(dir: string) {
  const pkgPath = join(dir, "package.json");
  const pkg = JSON.parse(await readFile(pkgPath, "utf8"));
  pkg.pnpm = { overrides };
  await writeFile(pkgPath, JSON.stringify(pkg, null, 2));
  await pnpm(dir, "install", "--prefer-offline");
}

describe("micro new", () => {
  it("creates a service that installs, compiles and passes its own test", async () => {
    const dir = join(work, "greeter");
    const r = await micro(["new", "greeter", "--dir", dir, "--namespace", "acme"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created service acme.service.greeter");
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg.dependencies["@micro/core"]).toMatch(/^\^\d+\.\d+\.\d+/);
    expect(await readFile(join(dir, "src/service.ts"), "utf8")).toContain('NAME = "acme.service.greeter"');

    await installWorkspacePackages(dir);
    await pnpm(dir, "run", "build");
    expect((await readdir(join(dir, "dist"))).sort()).toContain("main.js");
    const test = await pnpm(dir, "test");
    expect(test.stdout).toMatch(/Tests\s+.*3 passed/);

    // the project's own `gen` script regenerates the same module from its proto
    const before = await readFile(join(dir, "src/gen/greeter.micro.ts"), "utf8");
    await pnpm(dir, "run", "gen");
    expect(await readFile(join(dir, "src/gen/greeter.micro.ts"), "utf8")).toBe(before);
  }, 240_000);

  it("creates a function with a custom fqdn that passes its test", async () => {
    const dir = join(work, "thumbs");
    const r = await micro(["new", "thumbs", "--type", "function", "--fqdn", "media.thumbs", "--dir", dir]);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, "src/service.ts"), "utf8")).toContain("createFunction(");
    await installWorkspacePackages(dir);
    await pnpm(dir, "run", "build");
    const test = await pnpm(dir, "test");
    expect(test.stdout).toMatch(/Tests\s+.*1 passed/);
  }, 240_000);

  it("refuses bad names and a non-empty directory with a usage error", async () => {
    const bad = await micro(["new", "Bad_Name", "--dir", join(work, "bad")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must start with a letter/);
    const type = await micro(["new", "x", "--type", "web", "--dir", join(work, "x")]);
    expect(type.code).toBe(2);
    const again = await micro(["new", "greeter", "--dir", join(work, "greeter")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists and is not empty/);
  });
});

describe("micro gen", () => {
  it("writes the typed module and says where", async () => {
    const out = join(work, "gen");
    const r = await micro(["gen", join(root, "interop/proto/greeter.proto"), "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`wrote ${join(out, "greeter.micro.ts")}`);
    const content = await readFile(join(out, "greeter.micro.ts"), "utf8");
    expect(content).toContain("export class GreeterClient");
    expect(content).toContain('"Greeter.ServerStream"');
  });

  it("fails with one line for a missing file", async () => {
    const r = await micro(["gen", join(work, "nope.proto")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot generate from .*nope\.proto/);
  });
});
