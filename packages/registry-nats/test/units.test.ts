import { getPlugin, type Service } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { describe, expect, it } from "vitest";
import { encodeEvent, encodeGetQuery, encodeListQuery, parseEnvelope } from "../src/index.js";
import { LocalServices } from "../src/local-services.js";

const s = (version: string, ids: string[], md: Record<string, string> = {}): Service => ({
  name: "svc",
  version,
  endpoints: [],
  nodes: ids.map((id) => ({ id, address: `127.0.0.1:${id.length}`, metadata: md })),
});

describe("plugin", () => {
  it("registers nats with its package's version and a typed lookup timeout", () => {
    const def = getPlugin("registry", "nats")!;
    expect(def.package).toBe("@micro/registry-nats");
    const flags = (argv: string[], env: Record<string, string> = {}) =>
      resolveConfig(def.flags ?? [], { argv, env });
    expect(flags([]).nats_registry_timeout).toBe(100);
    expect(flags(["--nats_registry_timeout=1s"]).nats_registry_timeout).toBe(1_000);
    expect(flags([], { MICRO_NATS_REGISTRY_TIMEOUT: "250" }).nats_registry_timeout).toBe(250);
  });
});

describe("envelope", () => {
  it("encodes Go's Result with capitalized keys and registry JSON inside", () => {
    expect(encodeEvent("create", s("1", ["a"]))).toBe(
      '{"Service":{"name":"svc","version":"1","metadata":null,"endpoints":[],"nodes":[{"metadata":{},"id":"a","address":"127.0.0.1:1"}]},"Action":"create"}',
    );
    expect(encodeGetQuery("svc")).toBe(
      '{"Service":{"name":"svc","version":"","metadata":null,"endpoints":null,"nodes":null},"Action":"get"}',
    );
    expect(encodeListQuery()).toBe('{"Service":null,"Action":"list"}');
  });
  it("parses any key case and null services", () => {
    expect(parseEnvelope('{"Service":null,"Action":"list"}')).toEqual({ action: "list" });
    expect(parseEnvelope('{"service":{"name":"x"},"ACTION":"get"}').service?.name).toBe("x");
    expect(() => parseEnvelope("[]")).toThrow();
  });
});

describe("local services", () => {
  it("groups by version, replaces nodes by id and reports the change", () => {
    const l = new LocalServices();
    expect(l.add(s("1", ["a"]))).toBe("created");
    expect(l.add(s("1", ["a"]))).toBe("unchanged");
    expect(l.add(s("1", ["a"], { k: "v" }))).toBe("updated");
    expect(l.add(s("1", ["b"]))).toBe("created");
    expect(l.add(s("2", ["c"]))).toBe("created");
    expect(l.get("svc").map((x) => [x.version, x.nodes.map((n) => n.id)])).toEqual([
      ["1", ["a", "b"]],
      ["2", ["c"]],
    ]);
    expect(l.remove("svc", "1", ["a", "zz"]).map((n) => n.id)).toEqual(["a"]);
    l.remove("svc", "1", ["b"]);
    l.remove("svc", "2", ["c"]);
    expect(l.has("svc")).toBe(false);
  });
});
