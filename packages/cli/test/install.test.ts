// `micro` installed as a user installs it (the packed tarballs, in an app outside the workspace):
// it brings the default stack and codegen only; any other plugin is found once installed next to
// it, and until then a command that chooses it says in one line what to install.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closure, installPacked, pack } from "../../../scripts/pack.mjs";
import { installCommand } from "../src/plugins.js";
import { cleanEnv } from "./helpers.js";

const exec = promisify(execFile);
let work: string;
let app: string;
let tarballs: Record<string, string>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "micro-cli-install-"));
  app = join(work, "app");
  tarballs = await pack(["@micro/cli", "@micro/registry-etcd"], join(work, "packs"));
  await installPacked(app, tarballs, ["@micro/cli", "@micro/core"]);
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

// a user's environment: not the NODE_PATH into this workspace that the test runner's shim sets
const { NODE_PATH: _, ...env } = cleanEnv();

/** The installed `micro`; resolves with its exit code and output (a failure is a result here). */
async function micro(...args: string[]) {
  const bin = join(app, "node_modules", ".bin", "micro");
  return exec(bin, args, { cwd: app, env, timeout: 20_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe("micro from its tarball", () => {
  it("installs the default stack and codegen, no other backend", async () => {
    const installed = (await readdir(join(app, "node_modules", ".pnpm")))
      .filter((d) => d.startsWith("@micro+"))
      .map((d) => d.replace(/^@micro\+([\w-]+)@.*$/, "@micro/$1"))
      .sort();
    expect(installed).toEqual(await closure(["@micro/cli"]));
    expect(installed).not.toContain("@micro/registry-etcd");
  });

  it("says in one line how to install a plugin it does not have", async () => {
    const r = await micro("--registry=etcd", "services");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(
      'registry "etcd" is in @micro/registry-etcd, which is not installed: pnpm add @micro/registry-etcd',
    );
    // commands that do not use the stack are not bothered by the choice
    expect((await micro("--registry=etcd", "version")).code).toBe(0);
  });

  it("loads the plugin by name once it is installed next to it", async () => {
    await installPacked(app, tarballs, ["@micro/registry-etcd"]);
    const r = await micro("--registry=etcd", "--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--etcd_username/);
  });
});

describe("the install command in the message", () => {
  const etcd = "@micro/registry-etcd";
  it("installs next to a global micro, or into the project that has it", () => {
    const pnpmGlobal =
      "/home/u/.local/share/pnpm/global/5/.pnpm/@micro+cli@0.1.0/node_modules/@micro/cli/dist/";
    expect(installCommand(etcd, pnpmGlobal)).toBe(`pnpm add -g ${etcd}`);
    expect(installCommand(etcd, "/usr/local/lib/node_modules/@micro/cli/dist/")).toBe(
      `npm install -g ${etcd}`,
    );
    const local = "/work/app/node_modules/.pnpm/@micro+cli@0.1.0/node_modules/@micro/cli/dist/";
    expect(installCommand(etcd, local)).toBe(`pnpm add ${etcd}`);
  });
});
