import { getPlugin, silentLogger } from "@micro/core";
import { describe, expect, it } from "vitest";
import { HttpTransport, VERSION } from "../src/index.js";

describe("plugin registration", () => {
  it("registers transport 'http' with its flags", () => {
    const def = getPlugin("transport", "http");
    expect(def?.version).toBe(VERSION);
    expect(def?.flags?.map((f) => f.name)).toEqual(["transport_max_message_size", "transport_timeout"]);
  });

  it("creates an HttpTransport from the plugin context", () => {
    const tls = { insecureSkipVerify: true };
    const t = getPlugin("transport", "http")!.create({
      addresses: [],
      flags: { transport_max_message_size: "2048", transport_timeout: "1.5s" },
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
    expect(() =>
      getPlugin("transport", "http")!.create({
        addresses: [],
        flags: { transport_max_message_size: "lots" },
        logger: silentLogger,
      }),
    ).toThrow(/transport_max_message_size/);
  });
});
