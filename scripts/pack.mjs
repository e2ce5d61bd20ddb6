// Packs workspace packages as they would be published (`pnpm pack`: workspace ranges resolved, the
// .pnpmfile.cjs hook applied) and installs the tarballs into an application outside the workspace:
// the way to try the packages before they are published, and what the tests that install them as a
// user does share.
//
//   node <this repository>/scripts/pack.mjs add @micro/core @micro/defaults   # in the app's directory
//
// packs the named packages and the workspace packages they need into ./.micro-packs, adds the named
// ones to the app's dependencies (creating an ES module package.json if there is none), points
// every packed @micro/* package at its tarball (pnpm overrides) and runs `pnpm install`.
// Run `pnpm build` in the repository first: the tarballs carry dist/.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const exec = promisify(execFile);

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Plain output (tests parse it), CI mode as in CI, and no NODE_PATH: the one pnpm's bin shims set
 * points into this workspace, where an app outside it must not find packages.
 */
const ENV = { ...process.env, CI: "true", NO_COLOR: "1", FORCE_COLOR: undefined, NODE_PATH: undefined };

/**
 * Runs pnpm in `cwd`; a failure (or a step stuck past `timeout` ms, e.g. pnpm retrying a registry it
 * cannot reach) rejects with pnpm's output rather than hanging the caller.
 */
export async function pnpm(cwd, args, { timeout = 150_000 } = {}) {
  try {
    return await exec("pnpm", args, { cwd, env: ENV, maxBuffer: 16 << 20, timeout });
  } catch (e) {
    const { stdout = "", stderr = "", killed } = e;
    const why = killed ? `timed out after ${timeout / 1000} s` : "failed";
    const output = (stderr.trim() ? stderr : stdout).slice(-4000);
    throw Object.assign(new Error(`pnpm ${args.join(" ")} ${why} in ${cwd}\n${output}`), {
      stdout,
      stderr,
    });
  }
}

/** The publishable workspace packages (packages/*): name -> { dir, pkg }. */
export async function workspacePackages() {
  const out = new Map();
  for (const d of await readdir(join(ROOT, "packages"))) {
    const file = join(ROOT, "packages", d, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(await readFile(file, "utf8"));
    if (!pkg.private) out.set(pkg.name, { dir: join(ROOT, "packages", d), pkg });
  }
  return out;
}

/** `names` and every workspace package they need at run time (dependencies, required peers). */
export async function closure(names) {
  const all = await workspacePackages();
  const seen = new Set();
  const visit = (name) => {
    const p = all.get(name);
    if (!p || seen.has(name)) return;
    seen.add(name);
    const { dependencies = {}, peerDependencies = {}, peerDependenciesMeta = {} } = p.pkg;
    for (const d of Object.keys(dependencies)) visit(d);
    for (const d of Object.keys(peerDependencies)) if (!peerDependenciesMeta[d]?.optional) visit(d);
  };
  for (const n of names) {
    if (!all.has(n)) throw new Error(`${n} is not a publishable package of this workspace`);
    visit(n);
  }
  return [...seen].sort();
}

/**
 * Packs `names` and what they need into `dest` (tarballs packed there before stay); resolves to
 * package name -> tarball path. With no names, every publishable package.
 */
export async function pack(names, dest) {
  const wanted = names.length ? await closure(names) : [...(await workspacePackages()).keys()].sort();
  await mkdir(dest, { recursive: true });
  const filters = wanted.flatMap((n) => ["--filter", n]);
  await pnpm(ROOT, ["-r", ...filters, "pack", "--pack-destination", dest]);
  const versions = new Map([...(await workspacePackages())].map(([n, p]) => [n, p.pkg.version]));
  const tarballs = {};
  for (const n of wanted) {
    const file = join(dest, `${n.replace(/^@/, "").replace("/", "-")}-${versions.get(n)}.tgz`);
    if (!existsSync(file)) throw new Error(`pnpm pack wrote no ${basename(file)} into ${dest}`);
    tarballs[n] = file;
  }
  return tarballs;
}

/**
 * Installs into the app at `dir`: `add` become dependencies (at the packed version), every packed
 * package is overridden to its tarball, then `pnpm install`. The app's directory and package.json
 * (an ES module) are created if missing.
 */
export async function installPacked(dir, tarballs, add = [], options = {}) {
  await mkdir(dir, { recursive: true });
  const file = join(dir, "package.json");
  const pkg = existsSync(file)
    ? JSON.parse(await readFile(file, "utf8"))
    : { name: basename(resolve(dir)), private: true, type: "module" };
  const all = await workspacePackages();
  pkg.dependencies ??= {};
  for (const n of add) pkg.dependencies[n] = `^${all.get(n).pkg.version}`;
  const overrides = {};
  for (const [n, f] of Object.entries(tarballs)) overrides[n] = `file:${relativeOrAbsolute(dir, f)}`;
  pkg.pnpm = { ...pkg.pnpm, overrides: { ...pkg.pnpm?.overrides, ...overrides } };
  await writeFile(file, `${JSON.stringify(pkg, null, 2)}\n`);
  // CI=true would freeze the lockfile, which a second `add` changes
  return pnpm(dir, ["install", "--prefer-offline", "--no-frozen-lockfile"], options);
}

const relativeOrAbsolute = (dir, f) => {
  const r = relative(resolve(dir), f);
  return r.startsWith("..") ? f : `./${r}`;
};

async function main(argv) {
  const [command, ...names] = argv;
  if (command !== "add") {
    console.error(
      "usage: node scripts/pack.mjs add [@micro/core @micro/defaults ...]   (in the app's directory)",
    );
    return 2;
  }
  const add = names.length ? names : ["@micro/core", "@micro/defaults"];
  const dir = process.cwd();
  if (resolve(dir).startsWith(ROOT)) {
    console.error("run it in an app's directory outside this repository (inside, pnpm links the workspace)");
    return 2;
  }
  const tarballs = await pack(add, join(dir, ".micro-packs"));
  const { stdout } = await installPacked(dir, tarballs, add);
  process.stdout.write(stdout);
  console.log(
    `installed ${add.join(" ")} from ${Object.keys(tarballs).length} packed packages in .micro-packs/`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  });
}
