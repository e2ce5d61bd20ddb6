import { getPlugin, PluginError } from "@micro/core";
import { describe, expect, it } from "vitest";
import "../src/index.js";
import { CountingRegistry, node, quiet, service } from "./support.js";

describe("selector plugins", () => {
  it.each(["registry", "random", "roundrobin", "round-robin"])("registers %s", async (name) => {
    const def = getPlugin("selector", name);
    expect(def?.kind).toBe("selector");
    const registry = new CountingRegistry();
    await registry.register(service("greeter", "1", [node("n1")]));
    const selector = def!.create({ addresses: [], flags: { selector_ttl: "5s" }, logger: quiet, registry });
    expect((await selector.select("greeter"))().id).toBe("n1");
    await selector.close();
  });

  it("says a registry is needed when created without one", () => {
    expect(() =>
      getPlugin("selector", "random")!.create({ addresses: [], flags: {}, logger: quiet }),
    ).toThrow(PluginError);
  });

  it("adds the selector_ttl flag", () => {
    expect(getPlugin("selector", "registry")!.flags?.map((f) => f.name)).toContain("selector_ttl");
  });
});
