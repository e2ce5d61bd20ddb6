import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { getPlugin } from "@micro/core";
import { defaultPlugin, loadPlugin, pluginIndex } from "@micro/core/internal";
import { findCodec } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { PLUGIN_INDEX } from "../src/index.js";

describe("@micro/defaults", () => {
  it("registers go-micro's default stack on import, each plugin naming itself the default", () => {
    expect(defaultPlugin("registry")?.name).toBe("mdns");
    expect(defaultPlugin("transport")?.name).toBe("http");
    expect(defaultPlugin("broker")?.name).toBe("http");
    expect(defaultPlugin("selector")?.name).toBe("registry");
    expect(defaultPlugin("codec")?.contentTypes?.[0]).toBe("application/json");
    expect(getPlugin("registry", "memory")).toBeDefined();
    expect(getPlugin("broker", "memory")).toBeDefined();
    expect(getPlugin("selector", "roundrobin")).toBeDefined();
    for (const ct of ["application/json", "application/protobuf", "application/octet-stream"])
      expect(findCodec(ct)).toBeDefined();
  });

  it("registers the package index, and it matches the plugins' own registrations", () => {
    expect(pluginIndex()).toEqual(expect.arrayContaining([...PLUGIN_INDEX]));
    const k8s = PLUGIN_INDEX.find((e) => e.names.includes("kubernetes"));
    expect(k8s?.package).toBe("@micro/registry-k8s");
    const script = fileURLToPath(new URL("../scripts/gen-plugin-index.mjs", import.meta.url));
    // exits non-zero (and the test fails) when a registration changed and the index was not regenerated
    expect(execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" })).toMatch(/up to date/);
  });

  it("loads a plugin whose name does not follow the package convention through the index", async () => {
    const entry = PLUGIN_INDEX.find((e) => e.kind === "codec" && e.names.includes("json-rpc"));
    expect(entry?.package).toBe("@micro/codec-jsonrpc");
    const def = await loadPlugin("codec", "json-rpc").catch((e: Error) => e);
    // the package is not a dependency of this one: the index names it in the error
    expect(String(def instanceof Error ? def.message : def.package)).toContain("@micro/codec-jsonrpc");
  });
});
