// Issue 19 at test size, on the package's stand-in API server (there is no real Kubernetes here):
// thousands of services of 2 pods each, listed by name in pages of 500 instead of one answer with
// every pod; the pods carry exactly what the registry writes (registerPatch, go-micro's format).
import type { Service } from "@micro/core";
import { scaleService } from "@micro/testing/registry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerPatch } from "../src/index.js";
import { FakeApiServer } from "./fake-apiserver.js";
import { registryFor } from "./helpers.js";

const COUNT = 3000;
const svc = (i: number): Service =>
  scaleService(
    `scale-${String(i).padStart(4, "0")}`,
    [0, 1].map((n) => ({ id: `scale-${i}-${n}`, address: `10.0.${n}.${i % 250}:8080`, metadata: {} })),
  );

describe("kubernetes registry at scale (stand-in API server)", () => {
  let api: FakeApiServer;
  const services = Array.from({ length: COUNT }, (_, i) => svc(i));
  beforeAll(async () => {
    api = await new FakeApiServer().start();
    // one pod per node, labelled and annotated with the registry's own patch for that node
    for (const s of services) {
      for (const node of s.nodes) {
        const patch = registerPatch({ ...s, nodes: [node] });
        api.addPod("default", `pod-${node.id}`, { labels: patch.metadata.labels as Record<string, string> });
        api.annotate("default", `pod-${node.id}`, patch.metadata.annotations);
      }
    }
    // and one registered through the registry itself
    api.addPod("default", "self");
    await registryFor(api, { podName: "self" }).register({ ...svc(COUNT), name: "zz-self" });
    // a pod that is not running does not count, as in Go
    api.addPod("default", "pending", { phase: "Pending" });
    await registryFor(api, { podName: "pending" }).register({ ...svc(COUNT + 1), name: "zz-pending" });
  }, 60_000);
  afterAll(() => api.stop());

  it("lists every service by name, names only, reading the pods in pages", async () => {
    const reg = registryFor(api, { timeout: 20_000 });
    const before = api.requests.length;
    const started = performance.now();
    const listed = await reg.listServices();
    console.info(
      `[measured] listServices with ${COUNT} services (${2 * COUNT} pods): ${(performance.now() - started).toFixed(1)} ms`,
    );
    expect(listed.map((s) => s.name)).toEqual([...services.map((s) => s.name), "zz-self"]);
    expect(listed[0]).toEqual({ name: services[0]!.name, version: "", endpoints: [], nodes: [] });
    const pages = api.requests.slice(before).map((r) => new URL(r.url, "http://x").searchParams);
    expect(pages).toHaveLength(Math.ceil((2 * COUNT + 2) / 500));
    expect(
      pages.every((q) => q.get("limit") === "500" && q.get("labelSelector") === "micro.mu/type=service"),
    ).toBe(true);
    expect(pages.slice(1).every((q) => q.get("continue"))).toBe(true);
    // describing one service still gives the whole record
    const got = await reg.getService(services[42]!.name);
    expect(got[0]!.endpoints).toHaveLength(3);
    expect(got[0]!.nodes.map((n) => n.id).sort()).toEqual(services[42]!.nodes.map((n) => n.id));
  });

  it("starts over once when the continue token expires halfway", async () => {
    const reg = registryFor(api, { timeout: 20_000, pageSize: 1000 });
    let lists = 0;
    api.onList = () => {
      if (++lists === 3) api.expireContinueTokens();
    };
    try {
      const listed = await reg.listServices();
      expect(listed).toHaveLength(COUNT + 1);
      // 3 pages, the 3rd refused (410), then all 7 again
      expect(lists).toBe(3 + 7);
    } finally {
      api.onList = undefined;
    }
  });
});
