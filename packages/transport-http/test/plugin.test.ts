import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { packageInfo } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { HttpTransport } from "../src/index.js";

const flags = (argv: string[]) =>
  resolveConfig(getPlugin("transport", "http")!.flags ?? [], { argv, env: {} });

describe("plugin registration", () => {
  it("registers transport 'http' with its flags", () => {
    const def = getPlugin("transport", "http");
    expect(def?.version).toBe(packageInfo(import.meta.url).version);
    expect(def?.package).toBe("@micro/transport-http");
    expect(def?.default).toBe(true);
    expect(def?.flags?.map((f) => f.name)).toEqual(["transport_max_message_size", "transport_timeout"]);
  });

  it("creates an HttpTransport from the plugin context", () => {
    const tls = { insecureSkipVerify: true };
    const t = getPlugin("transport", "http")!.create({
      addresses: [],
      flags: flags(["--transport_max_message_size=2048", "--transport_timeout=1.5s"]),
      tls,
      logger: silentLogger,
    });
    expect(t).toBeInstanceOf(HttpTransport);
    expect(t.name).toBe("http");
    const opts = (t as HttpTransport).options;
    expect(opts.maxMessageSize).toBe(2048);
    expect(opts.timeout).toBe(1500);
    expect(opts.tls).toBe(tls);
  });

  it("rejects a bad size flag clearly", () => {
    expect(() => flags(["--transport_max_message_size=lots"])).toThrow(/transport_max_message_size/);
    expect(() =>
      getPlugin("transport", "http")!.create({
        addresses: [],
        flags: flags(["--transport_max_message_size=0"]),
        logger: silentLogger,
      }),
    ).toThrow(/transport_max_message_size/);
  });

  it("defaults to go-micro's sizes and no deadline", () => {
    const t = getPlugin("transport", "http")!.create({
      addresses: [],
      flags: flags([]),
      logger: silentLogger,
    });
    expect((t as HttpTransport).options.maxMessageSize).toBe(32 * 1024 * 1024);
    expect((t as HttpTransport).options.timeout).toBe(0);
  });
});
