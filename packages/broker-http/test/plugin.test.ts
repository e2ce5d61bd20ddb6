import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { MemoryRegistry } from "@micro/registry-memory";
import { describe, expect, it } from "vitest";
import "../src/index.js";
import { DEFAULT_MAX_BODY_SIZE, HttpBroker } from "../src/http-broker.js";

describe("plugin", () => {
  const plugin = getPlugin("broker", "http");
  const flags = (argv: string[] = []) => resolveConfig(plugin!.flags ?? [], { argv, env: {} });

  it("registers the http broker with its flag", () => {
    expect(plugin).toBeDefined();
    expect(plugin!.flags?.map((f) => f.name)).toContain("broker_http_max_body");
    expect(plugin!.default).toBe(true);
    expect(flags().broker_http_max_body).toBe(DEFAULT_MAX_BODY_SIZE);
  });

  it("builds a broker bound to the given address with the service's registry", async () => {
    const b = plugin!.create({
      addresses: ["127.0.0.1:0"],
      flags: flags(),
      registry: new MemoryRegistry(),
      logger: silentLogger,
    });
    expect(b).toBeInstanceOf(HttpBroker);
    expect(b.name).toBe("http");
    expect(b.address()).toBe("127.0.0.1:0");
    await b.connect();
    expect(b.address()).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
    await b.disconnect();
  });

  it("takes --broker_http_require_delivery (off by default, as go-micro never fails a delivery)", async () => {
    expect(flags().broker_http_require_delivery).toBe(false);
    expect(flags(["--broker_http_require_delivery"]).broker_http_require_delivery).toBe(true);
    expect(() => flags(["--broker_http_require_delivery=sure"])).toThrow(
      /^MICRO_ERR_INVALID_OPTION: --broker_http_require_delivery: expected true or false, got "sure"$/,
    );
    const b = plugin!.create({
      addresses: ["127.0.0.1:0"],
      flags: flags(["--broker_http_require_delivery"]),
      registry: new MemoryRegistry(),
      logger: silentLogger,
    });
    await expect(b.publish("nobody", { header: {}, body: new Uint8Array() })).rejects.toMatchObject({
      id: "go.micro.broker",
      code: 404,
    });
  });

  it("refuses to build without a registry, saying why", () => {
    expect(() => plugin!.create({ addresses: [], flags: flags(), logger: silentLogger })).toThrow(
      /needs a registry/,
    );
  });

  it("refuses a nonsensical body limit", () => {
    expect(() => flags(["--broker_http_max_body=lots"])).toThrow(/broker_http_max_body/);
    expect(() =>
      plugin!.create({
        addresses: [],
        flags: flags(["--broker_http_max_body=-1"]),
        registry: new MemoryRegistry(),
        logger: silentLogger,
      }),
    ).toThrow(/broker_http_max_body/);
  });
});
