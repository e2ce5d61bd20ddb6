import { getPlugin, PluginError } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { describe, expect, it } from "vitest";
import "../src/index.js";
import { countingRegistry, node, quiet, service } from "./support.js";

describe("selector plugins", () => {
  it.each(["registry", "random", "roundrobin", "round-robin"])("registers %s", async (name) => {
    const def = getPlugin("selector", name);
    expect(def?.kind).toBe("selector");
    const registry = countingRegistry();
    await registry.register(service("greeter", "1", [node("n1")]));
    const flags = resolveConfig(def!.flags ?? [], { argv: ["--selector_ttl=5s"], env: {} });
    expect(flags.selector_ttl).toBe(5_000);
    const selector = def!.create({ addresses: [], flags, logger: quiet, registry });
    expect((await selector.select("greeter"))().id).toBe("n1");
    await selector.close();
  });

  it("says a registry is needed when created without one", () => {
    expect(() =>
      getPlugin("selector", "random")!.create({ addresses: [], flags: resolveConfig([]), logger: quiet }),
    ).toThrow(PluginError);
  });

  it("adds the selector_ttl flag", () => {
    expect(getPlugin("selector", "registry")!.flags?.map((f) => f.name)).toContain("selector_ttl");
  });

  it("is the default selector, and a bare --selector_ttl number is seconds", () => {
    const def = getPlugin("selector", "registry")!;
    expect(def.default).toBe(true);
    expect(getPlugin("selector", "random")).toBe(def);
    expect(getPlugin("selector", "round-robin")).toBe(getPlugin("selector", "roundrobin"));
    expect(resolveConfig(def.flags ?? [], { argv: ["--selector_ttl=30"], env: {} }).selector_ttl).toBe(
      30_000,
    );
    expect(resolveConfig(def.flags ?? [], { env: {} }).selector_ttl).toBe(60_000);
  });
});
