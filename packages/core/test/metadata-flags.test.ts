import { describe, expect, it } from "vitest";
import { createService, Metadata } from "../src/index.js";
import { assertSupportedNode, CORE_FLAGS, resolveConfig, unknownFlags, usage } from "../src/internal.js";
import { canonicalKey, parseDuration, parseKeyValues } from "../src/plugin-kit.js";

describe("metadata", () => {
  it("canonicalizes keys like Go's textproto", () => {
    expect(canonicalKey("micro-id")).toBe("Micro-Id");
    expect(canonicalKey("MICRO-SPAN-ID")).toBe("Micro-Span-Id");
    expect(canonicalKey("x-request-id")).toBe("X-Request-Id");
    expect(canonicalKey("bad key")).toBe("bad key");
  });
  it("is case-insensitive", () => {
    const md = new Metadata({ "x-user": "alice" });
    expect(md.get("X-User")).toBe("alice");
    expect(md.get("x-USER")).toBe("alice");
    expect(md.toObject()).toEqual({ "X-User": "alice" });
  });
});

describe("config", () => {
  it("code option < env < flag, with go-micro's names", () => {
    const f = (env: Record<string, string>, argv: string[]) =>
      resolveConfig(CORE_FLAGS, { options: { registry: "memory" }, env, argv }).registry;
    expect(f({}, [])).toBe("memory");
    expect(f({ MICRO_REGISTRY: "etcd" }, [])).toBe("etcd");
    expect(f({ MICRO_REGISTRY: "etcd" }, ["--registry=consul"])).toBe("consul");
    expect(f({}, ["--registry", "nats"])).toBe("nats");
    expect(
      resolveConfig(CORE_FLAGS, { env: {}, argv: ["--registry-address=1.2.3.4:2379,5.6.7.8:2379"] })
        .registry_address,
    ).toEqual(["1.2.3.4:2379", "5.6.7.8:2379"]);
  });

  it("names no plugin: which one is used when none is chosen is the plugins' word", () => {
    const c = resolveConfig(CORE_FLAGS, { env: {}, argv: [] });
    expect(c.registry).toBeUndefined();
    expect(c.broker).toBeUndefined();
    expect(c.client_content_type).toBeUndefined();
  });

  it("gives typed values with one default each (durations in ms)", () => {
    const c = resolveConfig(CORE_FLAGS, { env: {}, argv: [] });
    expect(c.register_ttl).toBe(60_000);
    expect(c.register_interval).toBe(30_000);
    expect(c.client_retries).toBe(5);
    expect(c.client_request_timeout).toBe(30_000);
    expect(c.server_metadata).toEqual({});
    expect(c.tls_secure).toBeUndefined();
    expect(c.tls_insecure).toBe(false);
    const given = resolveConfig(CORE_FLAGS, {
      env: { MICRO_REGISTER_TTL: "90" },
      argv: ["--client_request_timeout=2s", "--server_metadata=a=1,b=2", "--tls_secure"],
      options: { client_retries: 2 },
    });
    expect(given.register_ttl).toBe(90_000);
    expect(given.client_request_timeout).toBe(2_000);
    expect(given.server_metadata).toEqual({ a: "1", b: "2" });
    expect(given.tls_secure).toBe(true);
    expect(given.client_retries).toBe(2);
    expect(resolveConfig(CORE_FLAGS, { env: {}, argv: ["--register_ttl=2m"] }).register_ttl).toBe(120_000);
  });

  it("names the flag and its source in a bad value's one-line error", () => {
    expect(() => resolveConfig(CORE_FLAGS, { env: {}, argv: ["--register_ttl=abc"] })).toThrow(
      '--register_ttl: expected a duration such as 500ms, 30s or 1m (a bare number is seconds), got "abc"',
    );
    expect(() => resolveConfig(CORE_FLAGS, { env: { MICRO_CLIENT_RETRIES: "many" }, argv: [] })).toThrow(
      'MICRO_CLIENT_RETRIES: expected an integer, got "many"',
    );
    expect(() => resolveConfig(CORE_FLAGS, { env: {}, argv: [], options: { client_retries: "3" } })).toThrow(
      "option client_retries: expected a int",
    );
  });

  it("a service reads typed code options without converting them to text", () => {
    const svc = createService({ name: "typed", registerTtl: 1500, timeout: 250, argv: [], env: {} });
    expect(svc.config().register_ttl).toBe(1500);
    expect(svc.config().client_request_timeout).toBe(250);
  });

  it("lists the flags no spec knows", () => {
    expect(unknownFlags(["--registy=etcd", "--registry", "x", "--help"], CORE_FLAGS)).toEqual(["registy"]);
  });

  it("shows defaults in their own units in help", () => {
    const text = usage(CORE_FLAGS);
    expect(text).toMatch(
      /--register_ttl value\s+Registration TTL: a duration \(90s, 2m\) or seconds \(default 1m\)/,
    );
    expect(text).toContain("[$MICRO_CLIENT_RETRIES]");
  });

  it("parses Go durations", () => {
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("60", "s")).toBe(60_000);
    expect(() => parseDuration("5 parsecs")).toThrow(/MICRO_ERR_INVALID_OPTION/);
  });

  it("parses key=value lists", () => {
    expect(parseKeyValues("a=1,b=2")).toEqual({ a: "1", b: "2" });
  });
});

describe("runtime", () => {
  it("refuses Node before 22 with a one-line message naming the version needed", () => {
    expect(() => assertSupportedNode("20.20.2")).toThrow(
      "MICRO_ERR_UNSUPPORTED_RUNTIME: @micro/core needs Node.js 22 or newer; this is Node.js 20.20.2",
    );
    expect(() => assertSupportedNode("22.0.0")).not.toThrow();
  });
});
