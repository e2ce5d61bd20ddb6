import { describe, expect, it } from "vitest";
import {
  CORE_FLAGS,
  canonicalKey,
  Metadata,
  parseDuration,
  parseKeyValues,
  resolveFlags,
} from "../src/index.js";

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

describe("flags", () => {
  it("code option < env < flag, with go-micro's names", () => {
    const f = (env: Record<string, string>, argv: string[]) =>
      resolveFlags(CORE_FLAGS, { options: { registry: "memory" }, env, argv }).registry;
    expect(f({}, [])).toBe("memory");
    expect(f({ MICRO_REGISTRY: "etcd" }, [])).toBe("etcd");
    expect(f({ MICRO_REGISTRY: "etcd" }, ["--registry=consul"])).toBe("consul");
    expect(f({}, ["--registry", "nats"])).toBe("nats");
    expect(resolveFlags(CORE_FLAGS, { env: {}, argv: [] }).registry).toBe("mdns");
    expect(
      resolveFlags(CORE_FLAGS, { env: {}, argv: ["--registry-address=1.2.3.4:2379"] }).registry_address,
    ).toBe("1.2.3.4:2379");
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
