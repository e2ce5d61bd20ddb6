// The README's quickstart as a new user outside this repository follows it: the packages installed
// into a fresh app with the one command the README gives (tarballs packed as for publishing), the
// README's own greeter.ts and client.ts (read from README.md, so the two cannot drift) checked with
// `tsc --strict`, the service started, and the client run: it prints the answer the README shows
// and exits by itself, as a Go program does. Then the service stops on SIGTERM.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pnpm, ROOT } from "../../../scripts/pack.mjs";
import { readmeCommands, readmeFiles } from "./readme.js";

const exec = promisify(execFile);
const files = readmeFiles();
const commands = readmeCommands();

/**
 * A user's environment (no MICRO_* of the developer's shell, no NODE_PATH into this workspace from
 * the test runner's shim), every listener on loopback.
 */
const env: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("MICRO_") && k !== "NODE_PATH"),
  ),
  MICRO_MDNS_INTERFACE: "127.0.0.1",
  MICRO_SERVER_ADDRESS: "127.0.0.1:0",
  MICRO_BROKER_ADDRESS: "127.0.0.1:0",
};

let app: string;
let service: ChildProcess | undefined;

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "micro-quickstart-"));
  // a fresh TypeScript app: an ES module with its compiler, as the README asks
  const pkg = {
    name: "quickstart",
    private: true,
    type: "module",
    devDependencies: { typescript: "5.9.3", "@types/node": "22.20.5" },
  };
  await writeFile(join(app, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  const install = commands.find((c) => c.includes("scripts/pack.mjs add"));
  expect(install, "the README's install command before publishing").toBeDefined();
  const [node, script, ...args] = install!.split(/\s+/);
  expect(node).toBe("node");
  // it installs what the published-package command installs
  expect(args.slice(1)).toEqual(
    commands
      .find((c) => c.startsWith("pnpm add @micro/"))!
      .split(/\s+/)
      .slice(2),
  );
  await exec(process.execPath, [script!.replace("/path/to/micro-ts/", ROOT), ...args], {
    cwd: app,
    env,
    timeout: 150_000,
  });
  for (const [name, content] of Object.entries(files)) await writeFile(join(app, name), content);
}, 180_000);

afterAll(async () => {
  if (service?.exitCode === null) service.kill("SIGKILL");
  await rm(app, { recursive: true, force: true });
});

describe("the README's quickstart, from the packed packages", () => {
  it("has the service and the client", () => {
    expect(Object.keys(files).sort()).toEqual(["client.ts", "greeter.ts"]);
  });

  it("type-checks with tsc --strict", async () => {
    const names = Object.keys(files);
    await pnpm(app, [
      "exec",
      "tsc",
      "--strict",
      "--noEmit",
      "--module",
      "nodenext",
      "--target",
      "es2023",
      ...names,
    ]);
  });

  it("serves; the client prints the answer and exits by itself; the service stops on SIGTERM", async () => {
    // node <file>.ts, as the README runs them
    expect(commands).toEqual(expect.arrayContaining(["node greeter.ts &", "node client.ts"]));
    service = spawn(process.execPath, ["greeter.ts"], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    for (const s of [service.stdout!, service.stderr!])
      createInterface({ input: s }).on("line", (l) => lines.push(l));
    await until(() => lines.some((l) => /greeter listening on 127\.0\.0\.1:\d+/.test(l)), 15_000, lines);

    const expected = /console\.log\(.*\); \/\/ (.+)$/m.exec(files["client.ts"]!)?.[1];
    expect(expected).toBe("{ msg: 'Hello John' }");
    const started = Date.now();
    // rejects (killing it) if the client does not end by itself
    const { stdout } = await exec(process.execPath, ["client.ts"], { cwd: app, env, timeout: 5_000 });
    expect(stdout.trim()).toBe(expected);
    expect(Date.now() - started).toBeLessThan(5_000);

    service.kill("SIGTERM");
    const [code] = await Promise.race([
      once(service, "exit"),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`greeter did not stop:\n${lines.join("\n")}`)), 5_000).unref(),
      ),
    ]);
    expect(code).toBe(0);
  });
});

async function until(ok: () => boolean, ms: number, lines: string[]): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (service?.exitCode !== null || Date.now() > end)
      throw new Error(`greeter did not start (exit ${service?.exitCode}):\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
