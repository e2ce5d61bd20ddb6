import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlugin, silentLogger } from "@micro/core";
import { resolveConfig } from "@micro/core/internal";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubernetesRegistry } from "../src/index.js";
import { FakeApiServer } from "./fake-apiserver.js";

let api: FakeApiServer;
beforeAll(async () => {
  api = await new FakeApiServer().start();
});
afterAll(() => api.stop());

describe("kubernetes plugin", () => {
  it("registers as `kubernetes` and reads a kubeconfig file and namespace from flags", async () => {
    const def = getPlugin("registry", "kubernetes");
    expect(def).toBeDefined();
    expect(getPlugin("registry", "k8s")).toBe(def);
    const file = join(mkdtempSync(join(tmpdir(), "kubeconfig-")), "config");
    writeFileSync(file, api.kubeconfig());
    const reg = def!.create({
      addresses: [],
      flags: resolveConfig(def!.flags ?? [], {
        argv: [`--kubeconfig=${file}`],
        env: { KUBERNETES_NAMESPACE: "ns1" },
      }),
      logger: silentLogger,
    }) as KubernetesRegistry;
    expect(reg).toBeInstanceOf(KubernetesRegistry);
    expect(reg.name).toBe("kubernetes");
    expect(reg.namespace).toBe("ns1");
    expect(await reg.getService("x")).toEqual([]);
    expect(api.requests.at(-1)!.url).toMatch(/^\/api\/v1\/namespaces\/ns1\/pods\?/);
    await reg.close();
  });
});
