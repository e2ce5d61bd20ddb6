import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { GRPCResourceExhastedError } from "etcd3";
import { describe, expect, it } from "vitest";
import { EtcdRegistry, leaseSeconds, nodeKey, normalizeAddresses, servicePrefix } from "../src/index.js";
import { unavailable } from "../src/unavailable.js";

describe("plugin", () => {
  const def = getPlugin("registry", "etcd")!;
  const flags = (argv: string[], env: Record<string, string> = {}) =>
    resolveConfig(def.flags ?? [], { argv, env });

  it("registers etcd with its package's version", () => {
    expect(def.package).toBe("@micro/registry-etcd");
    expect(def.version).toMatch(/^\d+\.\d+\.\d+/);
  });
  it("reads etcd_timeout as a duration (bare numbers are ms), from the flag or MICRO_ETCD_TIMEOUT", () => {
    expect(flags([]).etcd_timeout).toBe(5_000);
    expect(flags(["--etcd_timeout=2s"]).etcd_timeout).toBe(2_000);
    expect(flags(["--etcd_timeout=1500"]).etcd_timeout).toBe(1_500);
    expect(flags([], { MICRO_ETCD_TIMEOUT: "3s" }).etcd_timeout).toBe(3_000);
    expect(flags([], { ETCD_USERNAME: "root" }).etcd_username).toBe("root");
    expect(() => flags(["--etcd_timeout=soon"])).toThrow(/etcd_timeout/);
  });
  it("creates an EtcdRegistry at the given addresses", async () => {
    const r = def.create({ addresses: ["etcd-1"], flags: flags([]), logger: silentLogger });
    expect(r).toBeInstanceOf(EtcdRegistry);
    expect((r as EtcdRegistry).hosts).toEqual(["http://etcd-1:2379"]);
    await r.close();
  });
});

describe("keys", () => {
  it("follows go-micro's layout", () => {
    expect(nodeKey("greeter", "greeter-1")).toBe("/micro/registry/greeter/greeter-1");
    expect(servicePrefix("greeter")).toBe("/micro/registry/greeter/");
  });
  it("replaces / inside names and ids by -", () => {
    expect(nodeKey("go.micro/api", "a/b/c")).toBe("/micro/registry/go.micro-api/a-b-c");
  });
});

describe("addresses", () => {
  it("defaults to 127.0.0.1:2379 over http", () => {
    expect(normalizeAddresses([], false)).toEqual(["http://127.0.0.1:2379"]);
    expect(normalizeAddresses(undefined, false)).toEqual(["http://127.0.0.1:2379"]);
  });
  it("adds :2379 to a host without port and a scheme from the TLS setting", () => {
    expect(normalizeAddresses(["etcd-1", "10.0.0.2:32379"], false)).toEqual([
      "http://etcd-1:2379",
      "http://10.0.0.2:32379",
    ]);
    expect(normalizeAddresses(["etcd-1"], true)).toEqual(["https://etcd-1:2379"]);
    expect(normalizeAddresses(["https://etcd-1:2379/"], false)).toEqual(["https://etcd-1:2379"]);
  });
  it("brackets IPv6 hosts", () => {
    expect(normalizeAddresses(["::1", "[::1]", "[::1]:1234"], false)).toEqual([
      "http://[::1]:2379",
      "http://[::1]:1234",
    ]);
  });
});

describe("lease seconds", () => {
  it("rounds the TTL up to whole seconds, at least 1", () => {
    expect(leaseSeconds(undefined)).toBe(0);
    expect(leaseSeconds(0)).toBe(0);
    expect(leaseSeconds(1)).toBe(1);
    expect(leaseSeconds(1500)).toBe(2);
    expect(leaseSeconds(60_000)).toBe(60);
  });
});

describe("errors", () => {
  it("tells a too-large answer from an unreachable etcd", () => {
    const big = unavailable(
      "listServices",
      ["http://e:2379"],
      new GRPCResourceExhastedError("8 RESOURCE_EXHAUSTED: Received message larger than max (5 vs 4)"),
    );
    expect(big.code).toBe(500);
    expect(big.message).toMatch(/larger than the client's message limit/);
    expect(big.message).not.toMatch(/cannot reach/);
    const down = unavailable("listServices", ["http://e:2379"], new Error("14 UNAVAILABLE"));
    expect(down.code).toBe(503);
    expect(down.message).toMatch(/cannot reach etcd at http:\/\/e:2379/);
  });
});
