// Issue 19: a tool starts from the package index alone and loads only the plugins it uses. The
// index's stack entries give their flags before they load, a default is loaded through its own
// entry (not the whole default stack), and a service asked for its registry loads nothing else.
import { describe, expect, it, vi } from "vitest";
import { createService, listPlugins, type Registry, registerPlugin, silentLogger } from "../src/index.js";
import { allFlagSpecs, loadPlugin, type PluginIndexEntry, registerPluginIndex } from "../src/internal.js";

const closed = vi.fn();
const fakeRegistry = (): Registry =>
  ({
    name: "indexed",
    register: async () => {},
    deregister: async () => {},
    getService: async () => [],
    listServices: async () => [],
    watch: () => ({ next: () => new Promise(() => {}), stop: () => {} }),
    close: async () => closed(),
  }) as unknown as Registry;

const loadRegistry = vi.fn(async () => {
  registerPlugin({
    kind: "registry",
    name: "indexed",
    default: true,
    flags: [{ name: "indexed_depth", type: "int", description: "test flag", default: 3 }],
    create: ({ flags }) => {
      expect(flags.indexed_depth).toBe(7); // its flag resolved from argv before it was created
      return fakeRegistry();
    },
  });
});
const loadBroker = vi.fn(async () => {});

const entries: PluginIndexEntry[] = [
  {
    kind: "registry",
    package: "@acme/registry-indexed",
    names: ["indexed"],
    default: true,
    stack: true,
    flags: [{ name: "indexed_depth", type: "int", description: "test flag", default: 3 }],
    load: loadRegistry,
  },
  {
    kind: "broker",
    package: "@acme/broker-indexed",
    names: ["indexed"],
    default: true,
    stack: true,
    load: loadBroker,
  },
  {
    kind: "registry",
    package: "@acme/registry-elsewhere",
    names: ["elsewhere"],
    flags: [{ name: "elsewhere_token", description: "not in the stack" }],
  },
];

describe("starting from the package index", () => {
  it("knows the stack's flags before any plugin loads, and not the others'", () => {
    registerPluginIndex(entries);
    registerPluginIndex(entries); // registering again adds nothing
    const names = allFlagSpecs().map((f) => f.name);
    expect(names).toContain("indexed_depth");
    expect(names).not.toContain("elsewhere_token");
    expect(names.filter((n) => n === "indexed_depth")).toHaveLength(1);
    expect(listPlugins()).toHaveLength(0);
  });

  it("a service's registry loads the default registry's package alone, once; the stack reuses it", async () => {
    const service = createService({
      name: "index.test",
      argv: ["--indexed_depth=7"],
      handleSignals: false,
      logger: silentLogger,
    });
    const registry = await service.registry();
    expect(registry.name).toBe("indexed");
    expect(loadRegistry).toHaveBeenCalledTimes(1);
    expect(loadBroker).not.toHaveBeenCalled();
    expect(await service.registry()).toBe(registry);
    await service.stop();
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it("a default is loaded through its own entry", async () => {
    loadRegistry.mockClear();
    expect((await loadPlugin("registry", undefined)).name).toBe("indexed");
    expect(loadRegistry).not.toHaveBeenCalled(); // registered already: nothing to import
    await loadPlugin("broker", undefined).catch(() => {}); // its loader registers nothing
    expect(loadBroker).toHaveBeenCalledTimes(1);
  });
});
