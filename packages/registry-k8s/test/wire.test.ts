// The exact requests go-micro's kubernetes registry plugin (micro/plugins, v5/registry/kubernetes) makes — a
// strategic-merge PATCH of the pod's labels and annotation, label-selector GETs of pods — as the stand-in API
// server receives them.
import { encodeService } from "@micro/core/plugin-kit";
import { GO_GREETER_JSON, goGreeter } from "@micro/testing/vectors";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { annotationKey, labelSelector, sanitize } from "../src/index.js";
import { FakeApiServer } from "./fake-apiserver.js";
import { registryFor } from "./helpers.js";

const POD = "greeter-5d9c7b-abcde";

const greeter = goGreeter();
// the greeter's registry JSON, which is what the annotation holds
const GO_JSON = GO_GREETER_JSON;

let api: FakeApiServer;
beforeAll(async () => {
  api = await new FakeApiServer().start();
  api.token = "s3cret";
});
afterAll(() => api.stop());
afterEach(() => {
  api.requests.length = 0;
});

describe("kubernetes wire format", () => {
  it("registers with go-micro's strategic merge patch, byte for byte", async () => {
    api.addPod("default", POD);
    const reg = registryFor(api, { podName: POD });
    await reg.register(greeter);
    const patch = api.requests.find((r) => r.method === "PATCH")!;
    expect(patch.url).toBe(`/api/v1/namespaces/default/pods/${POD}`);
    expect(patch.headers["content-type"]).toBe("application/strategic-merge-patch+json");
    expect(patch.headers.authorization).toBe("Bearer s3cret");
    expect(encodeService(greeter)).toBe(GO_JSON);
    expect(patch.body).toBe(
      `{"metadata":{"labels":{"micro.mu/selector-greeter":"service","micro.mu/type":"service"},"annotations":{"micro.mu/service-greeter":${JSON.stringify(GO_JSON)}}}}`,
    );
    const pod = api.pod("default", POD)!;
    expect(pod.metadata.labels).toEqual({
      "micro.mu/selector-greeter": "service",
      "micro.mu/type": "service",
    });
    expect(pod.metadata.annotations).toEqual({ "micro.mu/service-greeter": GO_JSON });
  });

  it("looks services up with the selector label query", async () => {
    const reg = registryFor(api, { podName: POD });
    const found = await reg.getService("greeter");
    expect(found).toEqual([greeter]);
    const get = api.requests.find((r) => r.method === "GET")!;
    expect(get.url).toBe(
      "/api/v1/namespaces/default/pods?labelSelector=micro.mu%2Fselector-greeter%3Dservice",
    );
    await reg.listServices();
    // Go's query, read in pages of 500 (go-micro asks for every pod in one answer)
    expect(api.requests.at(-1)!.url).toBe(
      "/api/v1/namespaces/default/pods?labelSelector=micro.mu%2Ftype%3Dservice&limit=500",
    );
  });

  it("deregisters by nulling the selector label and the annotation", async () => {
    const reg = registryFor(api, { podName: POD });
    await reg.deregister(greeter);
    const patch = api.requests.find((r) => r.method === "PATCH")!;
    expect(patch.headers["content-type"]).toBe("application/strategic-merge-patch+json");
    expect(patch.body).toBe(
      '{"metadata":{"labels":{"micro.mu/selector-greeter":null},"annotations":{"micro.mu/service-greeter":null}}}',
    );
    const pod = api.pod("default", POD)!;
    expect(pod.metadata.labels).toEqual({ "micro.mu/type": "service" });
    expect(pod.metadata.annotations).toBeUndefined();
    expect(await reg.getService("greeter")).toEqual([]);
  });

  it("uses the namespace of the kubeconfig context, or the one given", async () => {
    api.addPod("team-a", "p1");
    const reg = registryFor(api, { podName: "p1", namespace: "team-a" });
    await reg.register(greeter);
    expect(api.requests.at(-1)!.url).toBe("/api/v1/namespaces/team-a/pods/p1");
    expect(registryFor(api).namespace).toBe("default");
  });

  it("sanitizes service names like Go (bytes outside [-A-Za-z0-9_.] become _)", () => {
    expect(sanitize("go.micro.srv.greeter")).toBe("go.micro.srv.greeter");
    expect(sanitize("a/b c:d")).toBe("a_b_c_d");
    expect(sanitize("é")).toBe("__");
    expect(annotationKey("my/svc")).toBe("micro.mu/service-my_svc");
    expect(labelSelector("my/svc")).toBe("micro.mu/selector-my_svc=service");
  });
});

describe("kubernetes errors", () => {
  it("says which pod is missing when HOSTNAME is not a pod", async () => {
    const reg = registryFor(api, { podName: "no-such-pod" });
    await expect(reg.register(greeter)).rejects.toMatchObject({ code: 404 });
  });

  it("refuses to register without a pod name", async () => {
    const saved = process.env.HOSTNAME;
    delete process.env.HOSTNAME;
    try {
      const reg = registryFor(api);
      await expect(reg.register(greeter)).rejects.toThrow(/HOSTNAME/);
    } finally {
      if (saved !== undefined) process.env.HOSTNAME = saved;
    }
  });

  it("reports a rejected token", async () => {
    const reg = registryFor(api);
    api.token = "other";
    try {
      await expect(reg.getService("greeter")).rejects.toMatchObject({ code: 401 });
    } finally {
      api.token = "s3cret";
    }
  });

  it("times out against an API server that does not answer", async () => {
    const { createServer } = await import("node:net");
    const silent = createServer(() => {}).listen(0, "127.0.0.1");
    await new Promise((r) => silent.once("listening", r));
    const port = (silent.address() as { port: number }).port;
    const reg = registryFor(api, { addresses: [`https://127.0.0.1:${port}`], timeout: 300 });
    const t0 = Date.now();
    await expect(reg.getService("greeter")).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - t0).toBeLessThan(2_000);
    silent.close();
  });
});
