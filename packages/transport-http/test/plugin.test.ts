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
    expect(def?.flags?.map((f) => f.name)).toEqual([
      "transport_max_message_size",
      "transport_timeout",
      "transport_read_header_timeout",
      "transport_idle_timeout",
      "transport_max_body_bytes_in_flight",
      "transport_max_connections",
    ]);
  });

  it("creates an HttpTransport from the plugin context", () => {
    const tls = { insecureSkipVerify: true };
    const t = getPlugin("transport", "http")!.create({
      addresses: [],
      flags: flags([
        "--transport_max_message_size=2048",
        "--transport_timeout=1.5s",
        "--transport_read_header_timeout=2s",
        "--transport_idle_timeout=90s",
        "--transport_max_body_bytes_in_flight=4096",
        "--transport_max_connections=100",
      ]),
      tls,
      logger: silentLogger,
    });
    expect(t).toBeInstanceOf(HttpTransport);
    expect(t.name).toBe("http");
    const opts = (t as HttpTransport).options;
    expect(opts.maxMessageSize).toBe(2048);
    expect(opts.timeout).toBe(1500);
    expect(opts.readHeaderTimeout).toBe(2000);
    expect(opts.idleTimeout).toBe(90_000);
    expect(opts.maxBodyBytesInFlight).toBe(4096);
    expect(opts.maxConnections).toBe(100);
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
    const opts = (t as HttpTransport).options;
    expect(opts.maxMessageSize).toBe(32 * 1024 * 1024);
    expect(opts.timeout).toBe(0);
    // Go's ReadHeaderTimeout (go-micro: 5 s) doubled; an idle timeout past every client pool's TTL
    expect(opts.readHeaderTimeout).toBe(10_000);
    expect(opts.idleTimeout).toBe(5 * 60_000);
    expect(opts.maxBodyBytesInFlight).toBe(256 * 1024 * 1024);
  });
});
