import { describe, expect, it, vi } from "vitest";
import { getPlugin, loadPlugin, packageNameFor, registerPlugin, unregisterPlugin } from "../src/index.js";

describe("plugin table", () => {
  it("registers and finds plugins by kind and name", () => {
    registerPlugin({ kind: "registry", name: "fake", version: "1", create: () => ({}) as never });
    expect(getPlugin("registry", "FAKE")?.name).toBe("fake");
    unregisterPlugin("registry", "fake");
  });

  it("warns when the same name comes back with another version", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    registerPlugin({ kind: "broker", name: "dup", version: "1", create: () => ({}) as never });
    registerPlugin({ kind: "broker", name: "dup", version: "1", create: () => ({}) as never });
    expect(warn).not.toHaveBeenCalled();
    registerPlugin({ kind: "broker", name: "dup", version: "2", create: () => ({}) as never });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    unregisterPlugin("broker", "dup");
  });

  it("is shared across copies through a global symbol", () => {
    const t = (globalThis as Record<symbol, { plugins: Map<string, unknown> }>)[
      Symbol.for("micro.plugins.v1")
    ];
    expect(t.plugins).toBeInstanceOf(Map);
  });

  it("maps names to conventional packages", () => {
    expect(packageNameFor("registry", "etcd")).toBe("@micro/registry-etcd");
    expect(packageNameFor("registry", "kubernetes")).toBe("@micro/registry-k8s");
    expect(packageNameFor("broker", "nats")).toBe("@micro/broker-nats");
  });

  it("names the package to install when a plugin is missing", async () => {
    await expect(loadPlugin("registry", "nosuchthing")).rejects.toThrow(
      /MICRO_ERR_PLUGIN_NOT_FOUND.*@micro\/registry-nosuchthing.*pnpm add @micro\/registry-nosuchthing/,
    );
  });

  it("rejects malformed plugins", () => {
    expect(() => registerPlugin({ kind: "nope" as never, name: "x", create: () => ({}) as never })).toThrow(
      /MICRO_ERR_PLUGIN_INVALID/,
    );
  });
});
