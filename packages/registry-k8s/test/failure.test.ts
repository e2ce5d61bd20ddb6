// Measured failure behaviour: no API server at start, and one that goes away and comes back.
import { expect, it } from "vitest";
import { FakeApiServer } from "./fake-apiserver.js";
import { nextEvent, registryFor, svc, tick } from "./helpers.js";

it("rejects at once when the API server is not there", async () => {
  const api = await new FakeApiServer().start();
  const reg = registryFor(api, { podName: "p" });
  await api.stop();
  const t0 = Date.now();
  await expect(reg.getService("x")).rejects.toThrow(/ECONNREFUSED/);
  await expect(reg.register(svc("x", "1", "x-1"))).rejects.toThrow(/ECONNREFUSED/);
  expect(Date.now() - t0).toBeLessThan(1_000);
});

it("keeps a watch retrying while the API server is gone, then catches up", async () => {
  const api = await new FakeApiServer().start();
  const port = Number(new URL(api.url).port);
  api.addPod("default", "p");
  const warnings: string[] = [];
  const logger = {
    warn(m: string) {
      warnings.push(m);
    },
    debug() {},
  };
  const w = registryFor(api, { logger }).watch({ service: "outage" });
  await tick(300);
  await api.stop();
  await tick(1_000);
  expect(warnings.length).toBeGreaterThan(0);
  // the same server (state, certificate) comes back; the record is written before the watch reconnects
  await api.start(port);
  await registryFor(api, { podName: "p" }).register(svc("outage", "1", "outage-1"));
  const t0 = Date.now();
  expect(await nextEvent(w, 15_000)).toMatchObject({ action: "create", service: { name: "outage" } });
  const caughtUp = Date.now() - t0;
  console.info(
    `kubernetes watch: caught up ${caughtUp} ms after the API server came back (${warnings.length} warnings while down)`,
  );
  expect(caughtUp).toBeLessThan(3_000);
  w.stop();
  await api.stop();
}, 20_000);
