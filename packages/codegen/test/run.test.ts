// The `micro-gen` command: what it writes, what it prints and its exit codes.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GEN_USAGE, generate, runGen } from "../src/index.js";

const shop = new URL("fixtures/shop.proto", import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "micro-gen-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function gen(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runGen(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe("micro-gen", () => {
  it("writes the module generate() makes, with the options given", async () => {
    const r = await gen(shop, "--out", join(dir, "gen"), "--name", "api.ts", "--service", "shop");
    expect(r).toEqual({ code: 0, out: [`wrote ${join(dir, "gen", "api.ts")}`], err: [] });
    const [expected] = await generate([shop], { serviceName: "shop" });
    expect(await readFile(join(dir, "gen", "api.ts"), "utf8")).toBe(expected!.content);
  });

  it("exits 2 with the usage for no file or an unknown option, 0 for --help", async () => {
    expect(await gen()).toMatchObject({ code: 2, err: [expect.stringContaining(GEN_USAGE)] });
    expect(await gen(shop, "--nope")).toMatchObject({ code: 2, err: [expect.stringMatching(/nope/)] });
    expect(await gen("--help")).toEqual({ code: 0, out: [GEN_USAGE], err: [] });
  });

  it("exits 1 with one line when the .proto cannot be read", async () => {
    const r = await gen(join(dir, "missing.proto"), "--out", dir);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/missing\.proto/);
  });
});
