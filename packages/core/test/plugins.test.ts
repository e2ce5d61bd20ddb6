import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { getPlugin, listPlugins, registerPlugin } from "../src/index.js";
import {
  corePackage,
  defaultPlugin,
  loadPlugin,
  registerPluginIndex,
  satisfies,
  unregisterPlugin,
} from "../src/internal.js";

/** A throw-away package with this package.json; returns a module URL inside it. */
function fakePackage(pkg: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "micro-plugin-"));
  mkdirSync(join(dir, "dist"));
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
  return pathToFileURL(join(dir, "dist", "index.js")).href;
}

describe("plugin table", () => {
  it("registers and finds plugins by kind, name and alias", () => {
    registerPlugin({ kind: "registry", name: "fake", aliases: ["phony"], create: () => ({}) as never });
    expect(getPlugin("registry", "FAKE")?.name).toBe("fake");
    expect(getPlugin("registry", "phony")?.name).toBe("fake");
    expect(listPlugins("registry").filter((p) => p.name === "fake")).toHaveLength(1);
    unregisterPlugin("registry", "fake");
    expect(getPlugin("registry", "phony")).toBeUndefined();
  });

  it("reads name and version from the plugin's package.json, not a literal", () => {
    const from = fakePackage({ name: "@acme/registry-x", version: "3.4.5" });
    registerPlugin({ kind: "registry", name: "x", from, create: () => ({}) as never });
    expect(getPlugin("registry", "x")).toMatchObject({ package: "@acme/registry-x", version: "3.4.5" });
    unregisterPlugin("registry", "x");
  });

  it("refuses a plugin built for another core with a clear error", () => {
    const from = fakePackage({
      name: "@acme/broker-old",
      version: "0.3.0",
      peerDependencies: { "@micro/core": "^99.0.0" },
    });
    expect(() => registerPlugin({ kind: "broker", name: "old", from, create: () => ({}) as never })).toThrow(
      `MICRO_ERR_PLUGIN_INCOMPATIBLE: @acme/broker-old 0.3.0 needs @micro/core ^99.0.0, but this is ${corePackage().version}`,
    );
    expect(getPlugin("broker", "old")).toBeUndefined();
    const ok = fakePackage({
      name: "@acme/broker-new",
      version: "1.0.0",
      peerDependencies: { "@micro/core": `>=${corePackage().version}` },
    });
    registerPlugin({ kind: "broker", name: "new", from: ok, create: () => ({}) as never });
    expect(getPlugin("broker", "new")).toBeDefined();
    unregisterPlugin("broker", "new");
  });

  it("warns when the same name comes back with another version", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const v1 = fakePackage({ name: "@acme/broker-dup", version: "1.0.0" });
    const v2 = fakePackage({ name: "@acme/broker-dup", version: "2.0.0" });
    registerPlugin({ kind: "broker", name: "dup", from: v1, create: () => ({}) as never });
    registerPlugin({ kind: "broker", name: "dup", from: v1, create: () => ({}) as never });
    expect(warn).not.toHaveBeenCalled();
    registerPlugin({ kind: "broker", name: "dup", from: v2, create: () => ({}) as never });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    unregisterPlugin("broker", "dup");
  });

  it("is shared across copies through a global symbol", () => {
    const t = (globalThis as Record<symbol, { plugins: Map<string, unknown> }>)[
      Symbol.for("micro.plugins.v2")
    ];
    expect(t?.plugins).toBeInstanceOf(Map);
  });

  it("finds the default of a kind from the registrations", () => {
    registerPlugin({ kind: "selector", name: "pick-first", default: true, create: () => ({}) as never });
    expect(defaultPlugin("selector")?.name).toBe("pick-first");
    unregisterPlugin("selector", "pick-first");
  });

  it("suggests the closest name for a typo instead of a package that does not exist", async () => {
    registerPlugin({ kind: "registry", name: "etcd2", create: () => ({}) as never });
    const err = await loadPlugin("registry", "etdc2").catch((e: Error) => e);
    expect(String(err)).toContain('unknown registry "etdc2": did you mean "etcd2"?');
    expect(String(err)).not.toContain("@micro/registry-etdc2");
    unregisterPlugin("registry", "etcd2");
  });

  it("names the package to install for an unknown name with no close match", async () => {
    await expect(loadPlugin("registry", "nosuchthing")).rejects.toThrow(
      /MICRO_ERR_PLUGIN_NOT_FOUND.*pnpm add @micro\/registry-nosuchthing/,
    );
  });

  it("uses the package index for names that do not follow the package convention", async () => {
    registerPluginIndex([{ kind: "registry", package: "@acme/not-installed", names: ["oddname"] }]);
    await expect(loadPlugin("registry", "oddname")).rejects.toThrow(
      'registry "oddname" is in @acme/not-installed, which is not installed: pnpm add @acme/not-installed',
    );
  });

  it("says the install command the loading tool gives (the micro CLI installs next to itself)", async () => {
    const install = (pkg: string) => `pnpm add -g ${pkg}`;
    registerPluginIndex([{ kind: "registry", package: "@acme/not-installed", names: ["oddname"] }]);
    await expect(loadPlugin("registry", "oddname", { install })).rejects.toThrow(
      "which is not installed: pnpm add -g @acme/not-installed",
    );
    await expect(loadPlugin("registry", "nosuchthing", { install })).rejects.toThrow(
      "install it (pnpm add -g @micro/registry-nosuchthing)",
    );
  });

  it("rejects malformed plugins", () => {
    expect(() => registerPlugin({ kind: "nope" as never, name: "x", create: () => ({}) as never })).toThrow(
      /MICRO_ERR_PLUGIN_INVALID/,
    );
    expect(() => registerPlugin({ kind: "codec", name: "c", create: () => ({}) as never })).toThrow(
      /codec "c" must list the content types/,
    );
  });
});

describe("semver ranges", () => {
  it.each([
    ["1.0.0", "^1.0.0", true],
    ["1.9.3", "^1.2.0", true],
    ["2.0.0", "^1.0.0", false],
    ["0.1.5", "^0.1.0", true],
    ["0.2.0", "^0.1.0", false],
    ["1.2.9", "~1.2.0", true],
    ["1.3.0", "~1.2.0", false],
    ["1.5.0", ">=1.0.0 <2", true],
    ["2.0.0", ">=1.0.0 <2", false],
    ["3.0.0", "^1.0.0 || ^3.0.0", true],
    ["1.0.0", "workspace:^", true],
    ["1.0.0", "1.x", true],
    ["1.0.0", "nonsense", false],
  ])("%s in %s: %s", (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });
});
