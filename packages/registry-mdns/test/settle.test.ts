// A lookup returns once the answers settle instead of waiting the whole window, still finds every
// node, and waits the window for a service nobody answers for.
import { silentLogger } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { MdnsRegistry } from "../src/registry.js";
import { settler } from "../src/settle.js";

// a long window, so "returned early" cannot be a timing accident even on a slow CI machine
const WINDOW = 1000;
const mk = () => new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger, timeout: WINDOW });
const service = (name: string, ids: string[]) => ({
  name,
  version: "1",
  endpoints: [],
  nodes: ids.map((id, i) => ({ id, address: `127.0.0.1:${7000 + i}`, metadata: {} })),
});

describe("a lookup's wait", () => {
  const open: MdnsRegistry[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });

  it("ends soon after the answers of a present service, with every node of every process", async () => {
    const name = `settle-${process.pid}`;
    const [a, b, asker] = [mk(), mk(), mk()];
    open.push(a, b, asker);
    await a.register(service(name, ["n1", "n2"]));
    await b.register(service(name, ["n3"]));
    await asker.getService("warm-up-nobody").catch(() => {}); // sockets and interfaces ready
    const started = performance.now();
    const found = await asker.getService(name);
    const took = performance.now() - started;
    expect(found[0]?.nodes.map((n) => n.id).sort()).toEqual(["n1", "n2", "n3"]);
    expect(took).toBeLessThan(WINDOW / 4);
  });

  it("lists every name of every process soon after they answer", async () => {
    const names = [
      `settle-list-a-${process.pid}`,
      `settle-list-b-${process.pid}`,
      `settle-list-c-${process.pid}`,
    ];
    const [a, b, asker] = [mk(), mk(), mk()];
    open.push(a, b, asker);
    await a.register(service(names[0]!, ["l1"]));
    await a.register(service(names[1]!, ["l2"]));
    await b.register(service(names[2]!, ["l3"]));
    await asker.getService("warm-up-nobody").catch(() => {});
    const started = performance.now();
    const listed = (await asker.listServices()).map((s) => s.name);
    const took = performance.now() - started;
    for (const n of names) expect(listed).toContain(n);
    expect(took).toBeLessThan(WINDOW / 4);
  });

  it("waits the whole window for a service nobody answers for", async () => {
    const r = new MdnsRegistry({ interface: "127.0.0.1", logger: silentLogger, timeout: 150 });
    open.push(r);
    const started = performance.now();
    expect(await r.getService(`absent-${process.pid}`)).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("settler", () => {
  it("ends a quiet period after the last answer, restarting it on each answer", async () => {
    const s = settler(1000, 30);
    const started = performance.now();
    s.answered();
    await new Promise((r) => setTimeout(r, 20));
    s.answered();
    await s.done;
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(45);
    expect(took).toBeLessThan(500);
  });

  it("never waits longer than the window", async () => {
    const s = settler(50, 30);
    const started = performance.now();
    const tick = setInterval(() => s.answered(), 5);
    await s.done;
    clearInterval(tick);
    expect(performance.now() - started).toBeLessThan(400);
  });
});
