// Measured failure behaviour: no agent at start, and an agent that goes away and comes back.
import { randomUUID } from "node:crypto";
import { sleep } from "@micro/testing/helpers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ConsulRegistry } from "../src/index.js";
import { consul, deadPort, RecordingProxy } from "./proxy.js";
import { describeWithServer } from "./servers.js";

const svc = (name: string, id: string) => ({
  name,
  version: "1",
  endpoints: [],
  nodes: [{ id, address: "127.0.0.1:4100", metadata: {} }],
});

it("rejects at once, naming the agent, when nothing listens", async () => {
  const port = await deadPort();
  const r = new ConsulRegistry({ addresses: [`127.0.0.1:${port}`] });
  const t0 = Date.now();
  await expect(r.register(svc("x", "x-1"), { ttl: 60_000 })).rejects.toThrow(
    new RegExp(`consul http://127\\.0\\.0\\.1:${port} unreachable: ECONNREFUSED`),
  );
  await expect(r.getService("x")).rejects.toThrow(/unreachable/);
  expect(Date.now() - t0).toBeLessThan(1_000);
  await r.close();
});

it("times out against an agent that never answers", async () => {
  const { createServer } = await import("node:net");
  const silent = createServer(() => {}).listen(0, "127.0.0.1");
  await new Promise((r) => silent.once("listening", r));
  const r = new ConsulRegistry({
    addresses: [`127.0.0.1:${(silent.address() as { port: number }).port}`],
    timeout: 300,
  });
  const t0 = Date.now();
  await expect(r.getService("x")).rejects.toThrow(/timed out/);
  expect(Date.now() - t0).toBeLessThan(1_500);
  await r.close();
  silent.close();
});

describeWithServer("consul", "consul agent going away", () => {
  let proxy: RecordingProxy;
  beforeAll(async () => {
    proxy = await new RecordingProxy().start();
  });
  afterAll(() => proxy.stop());

  it("keeps a watch retrying while the agent is gone and catches up when it is back", async () => {
    const name = `consul-test-outage-${randomUUID().slice(0, 8)}`;
    const warnings: string[] = [];
    const logger = { warn: (m: string) => void warnings.push(m), debug() {} };
    const watching = new ConsulRegistry({ addresses: [proxy.address], logger, timeout: 1_000 });
    const w = watching.watch({ service: name });
    await sleep(300);
    const port = proxy.port;
    await proxy.stop();
    // changes made while the watcher cannot see the agent
    await consul("PUT", "/v1/agent/service/register", {
      ID: `${name}-1`,
      Name: name,
      Port: 4100,
      Tags: ["v-789ccb492c492d2e010008cc028e"],
    });
    await sleep(1_000);
    expect(warnings.some((m) => /unreachable/.test(m))).toBe(true);
    await expect(watching.getService(name)).rejects.toThrow(/unreachable/);
    const back = Date.now();
    proxy = await new RecordingProxy().start(port);
    const ev = await w.next();
    const caughtUpIn = Date.now() - back;
    expect(ev).toMatchObject({
      action: "create",
      service: { name, version: "latest", nodes: [{ id: `${name}-1` }] },
    });
    // the retry backoff is at most 10 s; after ~1 s down it is still short
    expect(caughtUpIn).toBeLessThan(3_000);
    console.info(
      `consul watch: caught up ${caughtUpIn} ms after the agent came back (${warnings.length} warnings while down)`,
    );
    w.stop();
    await watching.close();
    await consul("PUT", `/v1/agent/service/deregister/${name}-1`);
  });
});
