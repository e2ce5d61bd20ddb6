// `micro new` end to end: the real binary writes a project of each type, which is installed the way
// a user would install it (the framework's packages as the tarballs `pnpm pack` makes for
// publishing, everything else from the npm registry), type-checked and built with its own tsc, and
// tested with its own test. Also `micro gen` through the binary.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPacked, pack, pnpm as pnpmIn, ROOT as root } from "../../../scripts/pack.mjs";
import { micro } from "./helpers.js";

let work: string;
let tarballs: Record<string, string>;

const pnpm = (cwd: string, ...args: string[]) => pnpmIn(cwd, args);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "micro-new-"));
  // what a scaffold depends on, and the workspace packages those need
  tarballs = await pack(["@micro/core", "@micro/defaults", "@micro/codegen"], join(work, "packs"));
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

/** Points the project's @micro/* dependencies at the packed tarballs, then installs. */
const install = (dir: string) => installPacked(dir, tarballs);

/** The project's own checks, as its README tells a user to run them; any failure rejects. */
async function typecheckBuildTest(dir: string): Promise<string> {
  await pnpm(dir, "run", "typecheck");
  await pnpm(dir, "run", "build");
  expect(await readdir(join(dir, "dist"))).toContain("main.js");
  return (await pnpm(dir, "test")).stdout;
}

const passed = (out: string) => Number(/Tests\s+(?:\S+\s+)*?(\d+) passed/.exec(out)?.[1] ?? -1);

describe("micro new", () => {
  it("creates a service that installs, type-checks, builds and passes its own test", async () => {
    const dir = join(work, "greeter");
    const r = await micro(["new", "greeter", "--dir", dir, "--namespace", "acme"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created service acme.service.greeter");
    expect(r.stdout).toContain(`cd ${dir}`);
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    const core = JSON.parse(await readFile(join(root, "packages/core/package.json"), "utf8"));
    expect(pkg.dependencies["@micro/core"]).toBe(`^${core.version}`);
    expect(pkg.dependencies["@micro/defaults"]).toBe(`^${core.version}`);
    expect(await readFile(join(dir, "src/service.ts"), "utf8")).toContain('NAME = "acme.service.greeter"');
    for (const f of [
      "Dockerfile",
      ".dockerignore",
      "README.md",
      ".gitignore",
      "proto/greeter.proto",
      "test/greeter.test.ts",
    ])
      expect((await readFile(join(dir, f), "utf8")).length).toBeGreaterThan(0);

    await install(dir);
    const out = await typecheckBuildTest(dir);
    expect(passed(out)).toBe(5);
    expect(out).not.toMatch(/failed/);

    // the project's own `gen` script regenerates the same module from its proto
    const before = await readFile(join(dir, "src/gen/greeter.micro.ts"), "utf8");
    await pnpm(dir, "run", "gen");
    expect(await readFile(join(dir, "src/gen/greeter.micro.ts"), "utf8")).toBe(before);

    // and its checks are real: a handler that drifts from the proto does not compile
    const handler = join(dir, "src/handler.ts");
    await writeFile(handler, (await readFile(handler, "utf8")).replace("return { msg:", "return { message:"));
    await expect(pnpm(dir, "run", "typecheck")).rejects.toMatchObject({
      stdout: expect.stringMatching(/src\/handler\.ts.*error TS/),
    });
  }, 240_000);

  it("creates a function with a custom fqdn that passes its test", async () => {
    const dir = join(work, "thumbs");
    const r = await micro(["new", "thumbs", "--type", "function", "--fqdn", "media.thumbs", "--dir", dir]);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, "src/service.ts"), "utf8")).toContain("createFunction(");
    await install(dir);
    expect(passed(await typecheckBuildTest(dir))).toBe(1);
  }, 240_000);

  it("creates an api with an alias that passes its test", async () => {
    const dir = join(work, "orders-api");
    const r = await micro(["new", "orders-api", "--type", "api", "--alias", "orders", "--dir", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created api orders");
    expect(await readFile(join(dir, "proto/orders.proto"), "utf8")).toContain("service OrdersApi {");
    expect(await readFile(join(dir, "README.md"), "utf8")).toContain("/orders/OrdersApi.Call");
    await install(dir);
    expect(passed(await typecheckBuildTest(dir))).toBe(5);
  }, 240_000);

  it("creates a web app whose page calls the service, and passes its test", async () => {
    const dir = join(work, "shop");
    const r = await micro(["new", "shop", "--type", "web", "--dir", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created web shop");
    expect(r.stdout).toContain("public/index.html");
    await install(dir);
    expect(passed(await typecheckBuildTest(dir))).toBe(6);
  }, 240_000);

  it("refuses bad names, types and a non-empty directory with a usage error", async () => {
    const bad = await micro(["new", "Bad_Name", "--dir", join(work, "bad")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must start with a letter/);
    const type = await micro(["new", "x", "--type", "worker", "--dir", join(work, "x")]);
    expect(type.code).toBe(2);
    expect(type.stderr).toMatch(/--type must be one of service, function, api, web/);
    const again = await micro(["new", "greeter", "--dir", join(work, "greeter")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists and is not empty/);
  });
});

describe("micro gen", () => {
  it("writes the typed module and says where", async () => {
    const out = join(work, "gen");
    const r = await micro([
      "gen",
      join(root, "interop/proto/greeter.proto"),
      "--out",
      out,
      "--service",
      "go.micro.service.greeter",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`wrote ${join(out, "greeter.micro.ts")}`);
    const content = await readFile(join(out, "greeter.micro.ts"), "utf8");
    expect(content).toContain("export class GreeterClient");
    expect(content).toContain('"Greeter.ServerStream"');
    expect(content).toContain('readonly service: string = "go.micro.service.greeter"');
  });

  it("fails with one line for a missing file", async () => {
    const r = await micro(["gen", join(work, "nope.proto")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot generate from .*nope\.proto/);
  });
});
