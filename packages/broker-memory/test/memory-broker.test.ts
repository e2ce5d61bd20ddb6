import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { describe, expect, it } from "vitest";
import "../src/index.js";
import { MemoryBroker } from "../src/memory-broker.js";

const msg = (s: string) => ({ header: { k: "v" }, body: new TextEncoder().encode(s) });

describe("MemoryBroker", () => {
  it("registers the memory plugin and shares one instance per process", () => {
    const plugin = getPlugin("broker", "memory");
    expect(plugin).toBeDefined();
    const ctx = { addresses: [], flags: resolveConfig([]), logger: silentLogger };
    const a = plugin!.create(ctx);
    expect(a).toBeInstanceOf(MemoryBroker);
    expect(plugin!.create(ctx)).toBe(a);
    expect(a.name).toBe("memory");
  });

  it("runs handlers before publish resolves", async () => {
    const b = new MemoryBroker({ logger: silentLogger });
    await b.connect();
    const got: string[] = [];
    await b.subscribe("t", (e) => void got.push(new TextDecoder().decode(e.message.body)));
    await b.publish("t", msg("now"));
    expect(got).toEqual(["now"]);
    await b.disconnect();
  });

  it("gives each subscriber its own copy of the message", async () => {
    const b = new MemoryBroker({ logger: silentLogger });
    await b.connect();
    const seen: string[] = [];
    await b.subscribe("t", (e) => {
      e.message.header.k = "changed";
      e.message.body[0] = 0;
    });
    await b.subscribe("t", (e) => void seen.push(`${e.message.header.k}:${e.message.body[0]}`));
    const m = msg("a");
    await b.publish("t", m);
    expect(seen).toEqual(["v:97"]);
    expect(m.header.k).toBe("v");
    expect(m.body[0]).toBe(97);
  });

  it("keeps subscriptions until the last of several connects disconnects", async () => {
    const b = new MemoryBroker({ logger: silentLogger });
    await b.connect();
    await b.connect();
    let n = 0;
    await b.subscribe("t", () => void n++);
    await b.disconnect();
    await b.publish("t", msg("still here"));
    expect(n).toBe(1);
    await b.disconnect();
    await b.publish("t", msg("gone"));
    expect(n).toBe(1);
    await b.disconnect(); // extra disconnects are harmless
  });

  it("rejects a publish whose signal is already aborted", async () => {
    const b = new MemoryBroker({ logger: silentLogger });
    await expect(b.publish("t", msg("x"), { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it("spreads a queue group's messages over its members", async () => {
    const b = new MemoryBroker({ logger: silentLogger });
    const counts = [0, 0, 0];
    for (const i of [0, 1, 2]) await b.subscribe("t", () => void counts[i]!++, { queue: "workers" });
    for (let i = 0; i < 300; i++) await b.publish("t", msg(String(i)));
    expect(counts.reduce((a, c) => a + c, 0)).toBe(300);
    for (const c of counts) expect(c).toBeGreaterThan(50);
  });
});
