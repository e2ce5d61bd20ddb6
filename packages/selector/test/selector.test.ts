import { type Filter, MicroError, type Next } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createRoundRobin,
  createSelector,
  filterEndpoint,
  filterLabel,
  filterVersion,
  random,
} from "../src/index.js";
import { countingRegistry, node, quiet, service } from "./support.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function setup(services = [service("greeter", "1.0.0", [node("n1"), node("n2"), node("n3")])]) {
  const registry = countingRegistry();
  for (const s of services) await registry.register(s);
  const selector = createSelector({ registry, logger: quiet });
  closers.push(
    () => selector.close(),
    () => registry.close(),
  );
  return { registry, selector };
}

const ids = (next: Next, n: number) => Array.from({ length: n }, () => next().id);

async function rejection(p: Promise<unknown>): Promise<MicroError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MicroError);
  return err as MicroError;
}

describe("registry selector", () => {
  it("is named registry, like go-micro's", async () => {
    const { selector } = await setup();
    expect(selector.name).toBe("registry");
  });

  it("random: spreads calls over every node of every version", async () => {
    const { selector } = await setup([
      service("greeter", "1.0.0", [node("n1"), node("n2")]),
      service("greeter", "2.0.0", [node("n3")]),
    ]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const id = (await selector.select("greeter"))().id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["n1", "n2", "n3"]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(800); // expected 1000 each
  });

  it("random: a retry within one call goes to another node", async () => {
    const { selector } = await setup();
    for (let i = 0; i < 2000; i++) {
      const picks = ids(await selector.select("greeter"), 6);
      for (let j = 1; j < picks.length; j++) expect(picks[j]).not.toBe(picks[j - 1]);
    }
  });

  it("round robin: visits nodes in turn, within a call and across calls", async () => {
    const { selector } = await setup();
    const strategy = createRoundRobin();
    const within = ids(await selector.select("greeter", { strategy }), 6);
    expect(within.slice(3)).toEqual(within.slice(0, 3));
    expect(new Set(within.slice(0, 3)).size).toBe(3);
    const across: string[] = [];
    for (let i = 0; i < 6; i++) across.push((await selector.select("greeter", { strategy }))().id);
    expect(across.slice(3)).toEqual(across.slice(0, 3));
    expect(new Set(across).size).toBe(3);
  });

  it("round robin: chosen as the selector's default strategy", async () => {
    const registry = countingRegistry();
    await registry.register(service("rr", "1", [node("n1"), node("n2")]));
    const selector = createSelector({ registry, strategy: createRoundRobin(), logger: quiet });
    closers.push(() => selector.close());
    const a = (await selector.select("rr"))().id;
    const b = (await selector.select("rr"))().id;
    expect([a, b].sort()).toEqual(["n1", "n2"]);
  });

  it("filters by version, node label and endpoint", async () => {
    const { selector } = await setup([
      service("greeter", "1.0.0", [node("n1", { zone: "a" }), node("n2", { zone: "b" })], ["Greeter.Hello"]),
      service("greeter", "2.0.0", [node("n3", { zone: "a" })], ["Greeter.Hello", "Greeter.Stream"]),
    ]);
    const only = async (...filters: Filter[]) =>
      [...new Set(ids(await selector.select("greeter", { filters }), 30))].sort();
    expect(await only(filterVersion("1.0.0"))).toEqual(["n1", "n2"]);
    expect(await only(filterLabel("zone", "a"))).toEqual(["n1", "n3"]);
    expect(await only(filterEndpoint("Greeter.Stream"))).toEqual(["n3"]);
    expect(await only(filterLabel("zone", "a"), filterVersion("1.0.0"))).toEqual(["n1"]);
  });

  it("filters never change the cached records", async () => {
    const { selector } = await setup([service("greeter", "1", [node("n1", { zone: "a" }), node("n2")])]);
    await selector.select("greeter", { filters: [filterLabel("zone", "a")] });
    expect(new Set(ids(await selector.select("greeter"), 20))).toEqual(new Set(["n1", "n2"]));
  });

  it("rejects an unknown service with go-micro's not found error", async () => {
    const { selector } = await setup();
    const err = await rejection(selector.select("nobody"));
    expect(err.id).toBe("go.micro.client");
    expect(err.code).toBe(500);
    expect(err.detail).toBe("service nobody: not found");
  });

  it("rejects with none available when filters leave nothing", async () => {
    const { selector } = await setup();
    const err = await rejection(selector.select("greeter", { filters: [filterVersion("9.9.9")] }));
    expect(err.id).toBe("go.micro.client");
    expect(err.code).toBe(500);
    expect(err.detail).toBe("error selecting greeter node: none available");
  });

  it("rejects with the registry's error when it fails and nothing is cached", async () => {
    const { registry, selector } = await setup();
    registry.failing = new Error("connection refused");
    const err = await rejection(selector.select("greeter"));
    expect(err.detail).toBe("error selecting greeter node: connection refused");
  });

  it("rejects once closed", async () => {
    const { selector } = await setup();
    await selector.close();
    expect((await rejection(selector.select("greeter"))).detail).toMatch(/selector closed/);
  });

  it("strategies report none available for an empty list", () => {
    expect(() => random([])()).toThrow(MicroError);
    expect(() => createRoundRobin()([])()).toThrow(/none available/);
  });
});
