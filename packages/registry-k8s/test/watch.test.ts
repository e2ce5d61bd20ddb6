// Watching pods through the client's watch stream: annotation diffs become create/update/delete,
// and a closed stream or an expired resourceVersion is caught up by listing again.
import type { Watcher } from "@micro/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeApiServer } from "./fake-apiserver.js";
import { nextEvent, registryFor, svc, tick } from "./helpers.js";

let api: FakeApiServer;
const watchers: Watcher[] = [];
beforeAll(async () => {
  api = await new FakeApiServer().start();
});
afterAll(() => api.stop());
afterEach(() => {
  for (const w of watchers.splice(0)) w.stop();
});

const debug: string[] = [];
const logger = {
  warn() {},
  debug(m: string) {
    debug.push(m);
  },
};

function watch(service?: string): Watcher {
  const w = registryFor(api, { logger }).watch(service ? { service } : {});
  watchers.push(w);
  return w;
}

/** Waits until the watcher has its baseline and an open stream. */
async function settled(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (api.requests.some((r) => r.url.includes("watch=true"))) return tick(50);
    await tick(20);
  }
}

describe("kubernetes watch", () => {
  it("reports register, re-register with changes, and deregister", async () => {
    api.addPod("default", "w1");
    const reg = registryFor(api, { podName: "w1" });
    api.requests.length = 0;
    const w = watch("watched");
    await settled();
    const watchReq = api.requests.find((r) => r.url.includes("watch=true"))!;
    expect(watchReq.url).toContain("labelSelector=micro.mu%2Fselector-watched%3Dservice");
    expect(watchReq.url).toMatch(/resourceVersion=\d+/);

    await reg.register(svc("watched", "1", "watched-1"));
    expect(await nextEvent(w)).toMatchObject({
      action: "create",
      service: { name: "watched", nodes: [{ id: "watched-1" }] },
    });
    // the same record again changes nothing
    await reg.register(svc("watched", "1", "watched-1"));
    await reg.register(svc("watched", "1", "watched-1", "10.9.9.9:1"));
    expect(await nextEvent(w)).toMatchObject({
      action: "update",
      service: { nodes: [{ address: "10.9.9.9:1" }] },
    });
    await reg.deregister(svc("watched", "1", "watched-1"));
    expect(await nextEvent(w)).toMatchObject({ action: "delete", service: { nodes: [{ id: "watched-1" }] } });
  });

  it("reports pods that stop running or are deleted as deletes, and ignores other services", async () => {
    api.addPod("default", "w2");
    api.addPod("default", "w3");
    const w = watch();
    await settled();
    await registryFor(api, { podName: "w2" }).register(svc("s2", "1", "s2-node"));
    await registryFor(api, { podName: "w3" }).register(svc("s3", "1", "s3-node"));
    const created = [await nextEvent(w), await nextEvent(w)];
    expect(created.map((e) => `${e.action} ${e.service.name}`)).toEqual(["create s2", "create s3"]);
    api.setPhase("default", "w2", "Failed");
    expect(await nextEvent(w)).toMatchObject({ action: "delete", service: { name: "s2" } });
    api.deletePod("default", "w3");
    expect(await nextEvent(w)).toMatchObject({ action: "delete", service: { name: "s3" } });

    const only = watch("s4");
    await tick(300);
    api.addPod("default", "w4");
    await registryFor(api, { podName: "w4" }).register(svc("s5", "1", "s5-node"));
    await registryFor(api, { podName: "w4" }).register(svc("s4", "1", "s4-node"));
    expect(await nextEvent(only)).toMatchObject({ action: "create", service: { name: "s4" } });
  });

  it("does not report what existed before the watch started", async () => {
    api.addPod("default", "w5");
    await registryFor(api, { podName: "w5" }).register(svc("old", "1", "old-node"));
    const w = watch("old");
    await tick(300);
    await registryFor(api, { podName: "w5" }).register(svc("old", "2", "old-node"));
    expect(await nextEvent(w)).toMatchObject({ action: "update", service: { version: "2" } });
  });

  it("catches up after the stream closes and after its resourceVersion expired", async () => {
    api.addPod("default", "w6");
    const reg = registryFor(api, { podName: "w6" });
    const w = watch("resync");
    await tick(300);
    // changes while no stream is open are found by the next list
    api.closeWatches();
    await reg.register(svc("resync", "1", "resync-node"));
    expect(await nextEvent(w)).toMatchObject({ action: "create" });
    await tick(200);
    api.expireWatches();
    await reg.deregister(svc("resync", "1", "resync-node"));
    expect(await nextEvent(w)).toMatchObject({ action: "delete" });
    expect(debug.some((m) => /expired/.test(m))).toBe(true);
    // still following the stream afterwards
    await reg.register(svc("resync", "1", "resync-node"));
    expect(await nextEvent(w)).toMatchObject({ action: "create" });
  });

  it("stops cleanly", async () => {
    const w = watch("stopping");
    await tick(200);
    w.stop();
    await expect(w.next()).rejects.toThrow(/stopped/);
  });
});
