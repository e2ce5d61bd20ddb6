// getService / listServices over several pods: only live pods count, versions merge.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeApiServer } from "./fake-apiserver.js";
import { registryFor, svc } from "./helpers.js";

let api: FakeApiServer;
beforeAll(async () => {
  api = await new FakeApiServer().start();
});
afterAll(() => api.stop());

describe("kubernetes lookups", () => {
  it("merges the pods of one service by version and skips pods that are not live", async () => {
    for (const p of ["a", "b", "c", "d", "e"]) api.addPod("default", p);
    await registryFor(api, { podName: "a" }).register(svc("greeter", "1.0.0", "greeter-a", "10.0.0.1:1"));
    await registryFor(api, { podName: "b" }).register(svc("greeter", "1.0.0", "greeter-b", "10.0.0.2:1"));
    await registryFor(api, { podName: "c" }).register(svc("greeter", "2.0.0", "greeter-c", "10.0.0.3:1"));
    await registryFor(api, { podName: "d" }).register(svc("greeter", "1.0.0", "greeter-d", "10.0.0.4:1"));
    await registryFor(api, { podName: "e" }).register(svc("greeter", "1.0.0", "greeter-e", "10.0.0.5:1"));
    api.setPhase("default", "d", "Pending");
    api.deletePod("default", "e"); // graceful: deletionTimestamp first
    const reg = registryFor(api);
    const found = await reg.getService("greeter");
    const byVersion = Object.fromEntries(found.map((s) => [s.version, s.nodes.map((n) => n.id).sort()]));
    expect(byVersion).toEqual({ "1.0.0": ["greeter-a", "greeter-b"], "2.0.0": ["greeter-c"] });
  });

  it("serves several services from one pod, and lists them all", async () => {
    await registryFor(api, { podName: "a" }).register(svc("other.svc", "latest", "other-a"));
    const reg = registryFor(api);
    expect((await reg.getService("other.svc"))[0]!.nodes[0]!.id).toBe("other-a");
    // names only, as go-micro's ListServices: getService describes a service
    expect(await reg.listServices()).toEqual([
      { name: "greeter", version: "", endpoints: [], nodes: [] },
      { name: "other.svc", version: "", endpoints: [], nodes: [] },
    ]);
    expect(await reg.getService("missing")).toEqual([]);
  });

  it("skips annotations that are not go-micro records", async () => {
    api.addPod("default", "junk", {
      labels: { "micro.mu/type": "service", "micro.mu/selector-junk": "service" },
    });
    const reg = registryFor(api, { podName: "junk" });
    await reg.register(svc("junk", "1", "junk-1"));
    expect(await reg.getService("junk")).toHaveLength(1);
    api.annotate("default", "junk", {
      "micro.mu/service-junk": "{not json",
      "micro.mu/service-x": '{"name":7}',
    });
    expect(await reg.getService("junk")).toEqual([]);
    expect((await reg.listServices()).map((s) => s.name)).not.toContain("junk");
  });
});
