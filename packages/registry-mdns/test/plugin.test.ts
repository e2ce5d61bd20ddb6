import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { describe, expect, it } from "vitest";
import "../src/index.js";
import { MdnsRegistry } from "../src/registry.js";

describe("plugin", () => {
  it('registers "mdns" with its flags on import', () => {
    const def = getPlugin("registry", "mdns");
    expect(def).toBeDefined();
    expect(def!.flags?.map((f) => f.name)).toEqual(["mdns_interface", "mdns_domain", "mdns_timeout"]);
    expect(def!.default).toBe(true);
  });

  it("reads MICRO_MDNS_* through its flags", () => {
    const def = getPlugin("registry", "mdns")!;
    const env = { MICRO_MDNS_INTERFACE: "127.0.0.1", MICRO_MDNS_DOMAIN: "lan", MICRO_MDNS_TIMEOUT: "250" };
    expect(resolveConfig(def.flags ?? [], { env })).toMatchObject({
      mdns_interface: "127.0.0.1",
      mdns_domain: "lan",
      mdns_timeout: 250,
    });
    expect(resolveConfig(def.flags ?? [], { env: {} })).toMatchObject({
      mdns_domain: "micro",
      mdns_timeout: 100,
    });
  });

  it("creates a registry from flags", async () => {
    const def = getPlugin("registry", "mdns")!;
    const r = def.create({
      addresses: [],
      flags: resolveConfig(def.flags ?? [], {
        argv: ["--mdns_interface=127.0.0.1", "--mdns_domain=test", "--mdns_timeout=50ms"],
        env: {},
      }),
      logger: silentLogger,
    });
    expect(r).toBeInstanceOf(MdnsRegistry);
    expect(r.name).toBe("mdns");
    expect((r as MdnsRegistry).domain).toBe("test");
    const started = Date.now();
    expect(await r.getService("nobody-here")).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
    await r.close();
  });

  it("keeps records of other domains apart", async () => {
    const mk = (domain: string) => new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger, domain });
    const [a, b] = [mk("micro"), mk("other")];
    const s = {
      name: "domain-test",
      version: "1",
      endpoints: [],
      nodes: [{ id: "d1", address: "127.0.0.1:7", metadata: {} }],
    };
    await a.register(s);
    expect(await b.getService("domain-test")).toEqual([]);
    expect((await a.getService("domain-test"))[0]?.nodes.map((n) => n.id)).toEqual(["d1"]);
    await a.close();
    await b.close();
  });
});
