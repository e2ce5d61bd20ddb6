import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { describe, expect, it } from "vitest";
import { ConsulRegistry } from "../src/index.js";

describe("consul plugin", () => {
  it("registers as `consul`, taking addresses, token and TLS from the context", async () => {
    const def = getPlugin("registry", "consul");
    expect(def?.flags?.map((f) => f.name)).toContain("consul_token");
    const r = def!.create({
      addresses: ["10.1.2.3", "https://consul.example:8501"],
      flags: resolveConfig(def!.flags ?? [], { argv: ["--consul_token=abc"], env: {} }),
      tls: { ca: "pem" },
      logger: silentLogger,
    }) as ConsulRegistry;
    expect(r).toBeInstanceOf(ConsulRegistry);
    expect(r.name).toBe("consul");
    expect(r.options.baseUrls).toEqual(["https://10.1.2.3:8500", "https://consul.example:8501"]);
    expect(r.options.token).toBe("abc");
    await r.close();
  });

  it("reads the token flag from CONSUL_HTTP_TOKEN", async () => {
    const def = getPlugin("registry", "consul")!;
    const flags = resolveConfig(def.flags ?? [], { env: { CONSUL_HTTP_TOKEN: "from-env" } });
    const r = def.create({ addresses: [], flags, logger: silentLogger }) as ConsulRegistry;
    expect(r.options.token).toBe("from-env");
    await r.close();
  });

  it("defaults to CONSUL_HTTP_ADDR / CONSUL_HTTP_TOKEN, then 127.0.0.1:8500", async () => {
    const saved = { ...process.env };
    try {
      delete process.env.CONSUL_HTTP_ADDR;
      delete process.env.CONSUL_HTTP_TOKEN;
      const plain = new ConsulRegistry();
      expect(plain.options.baseUrls).toEqual(["http://127.0.0.1:8500"]);
      expect(plain.options.token).toBeUndefined();
      await plain.close();
      process.env.CONSUL_HTTP_ADDR = "consul.local:9500";
      process.env.CONSUL_HTTP_TOKEN = "tok";
      process.env.CONSUL_HTTP_SSL = "true";
      const fromEnv = new ConsulRegistry();
      expect(fromEnv.options.baseUrls).toEqual(["https://consul.local:9500"]);
      expect(fromEnv.options.token).toBe("tok");
      await fromEnv.close();
    } finally {
      process.env = saved;
    }
  });
});
