// Against the real Consul agent: what it receives from us, and what we read from a Go registration.
import { randomUUID } from "node:crypto";
import type { Service, Watcher } from "@micro/core";
import { eventually, sleep } from "@micro/testing/helpers";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { ConsulRegistry, decodeEndpoints, decodeMetadata, decodeVersion } from "../src/index.js";
import { consul, deadPort, RecordingProxy } from "./proxy.js";
import { describeWithServer } from "./servers.js";
import { DERIVED_TAGS, GO_METADATA, GO_VERSION_TAGS, greeter } from "./vectors.js";

const unique = (what: string) => `consul-test-${what}-${randomUUID().slice(0, 8)}`;

function service(
  name: string,
  id: string,
  version = "1.0.0",
  metadata: Record<string, string> = { k: "v" },
): Service {
  return {
    name,
    version,
    endpoints: greeter.endpoints,
    nodes: [{ id, address: "127.0.0.1:4001", metadata }],
  };
}

describeWithServer("consul", "consul registry against a real agent", () => {
  let proxy: RecordingProxy;
  const registries: ConsulRegistry[] = [];
  const cleanup: string[] = [];
  const watchers: Watcher[] = [];

  const make = (o: ConstructorParameters<typeof ConsulRegistry>[0] = {}) => {
    const r = new ConsulRegistry({ addresses: [proxy.address], ...o });
    registries.push(r);
    return r;
  };

  beforeAll(async () => {
    proxy = await new RecordingProxy().start();
  });
  afterEach(async () => {
    for (const w of watchers.splice(0)) w.stop();
    for (const id of cleanup.splice(0))
      await consul("PUT", `/v1/agent/service/deregister/${id}`).catch(() => {});
    for (const r of registries.splice(0)) await r.close();
    proxy.seen.length = 0;
  });
  afterAll(() => proxy.stop());

  it("sends go-micro's registration, then passes the TTL check", async () => {
    const name = unique("wire");
    const s = { ...greeter, name, nodes: [{ ...greeter.nodes[0]!, id: `${name}-1` }] };
    cleanup.push(`${name}-1`);
    await make({ token: "test-token" }).register(s, { ttl: 90_000 });

    const [reg] = proxy.find("PUT", "/v1/agent/service/register");
    expect(reg!.headers["x-consul-token"]).toBe("test-token");
    expect(reg!.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(reg!.body);
    expect(Object.keys(body)).toEqual(["ID", "Name", "Tags", "Port", "Address", "Meta", "Check"]);
    expect(body).toMatchObject({
      ID: `${name}-1`,
      Name: name,
      Port: 43521,
      Address: "10.0.0.5",
      Meta: GO_METADATA,
      Check: { TTL: "1m30s", DeregisterCriticalServiceAfter: "1m35s" },
    });
    expect(decodeMetadata(body.Tags)).toEqual(GO_METADATA);
    expect(decodeEndpoints(body.Tags)).toEqual(greeter.endpoints);
    expect(decodeVersion(body.Tags)).toBe("latest");
    const passes = proxy.find("PUT", `/v1/agent/check/pass/service:${name}-1`);
    expect(passes).toHaveLength(1);
    expect(passes[0]!.headers["x-consul-token"]).toBe("test-token");

    // and this is what the agent holds
    const held = (await consul("GET", `/v1/agent/service/${name}-1`)) as Record<string, unknown>;
    expect(held).toMatchObject({
      ID: `${name}-1`,
      Service: name,
      Address: "10.0.0.5",
      Port: 43521,
      Meta: GO_METADATA,
    });
    expect(held.Tags).toEqual(body.Tags);
    const checks = (await consul("GET", `/v1/agent/checks`)) as Record<
      string,
      { Status: string; ServiceID: string }
    >;
    expect(checks[`service:${name}-1`]).toMatchObject({ Status: "passing", ServiceID: `${name}-1` });
  });

  it("re-registers an unchanged service by passing its check only", async () => {
    const name = unique("again");
    const r = make();
    cleanup.push(`${name}-1`);
    await r.register(service(name, `${name}-1`), { ttl: 60_000 });
    await r.register(service(name, `${name}-1`), { ttl: 60_000 });
    expect(proxy.find("PUT", "/v1/agent/service/register")).toHaveLength(1);
    expect(proxy.find("PUT", `/v1/agent/check/pass/service:${name}-1`)).toHaveLength(2);
    expect(JSON.parse(proxy.find("PUT", "/v1/agent/service/register")[0]!.body).Check).toEqual({
      TTL: "1m0s",
      DeregisterCriticalServiceAfter: "1m5s",
    });
    // changed: registered again
    await r.register(service(name, `${name}-1`, "1.0.1"), { ttl: 60_000 });
    expect(proxy.find("PUT", "/v1/agent/service/register")).toHaveLength(2);
    // removed behind our back (agent restart): the failing pass leads to a full registration
    await consul("PUT", `/v1/agent/service/deregister/${name}-1`);
    await r.register(service(name, `${name}-1`, "1.0.1"), { ttl: 60_000 });
    expect(proxy.find("PUT", "/v1/agent/service/register")).toHaveLength(3);
    expect((await r.getService(name))[0]!.version).toBe("1.0.1");
  });

  it("reads a registration made by Go (Go's t-/e-/v- tags)", async () => {
    const name = unique("go");
    const id = `${name}-6f1c2b0e`;
    cleanup.push(id, `${id}-v1`, `${id}-legacy`);
    const base = { Name: name, Address: "10.0.0.5", Port: 43521, Meta: GO_METADATA };
    await consul("PUT", "/v1/agent/service/register", {
      ...base,
      ID: id,
      Tags: [...DERIVED_TAGS.metadata, DERIVED_TAGS.endpoint, GO_VERSION_TAGS.latest],
    });
    await consul("PUT", "/v1/agent/service/register", {
      ...base,
      ID: `${id}-v1`,
      Port: 43522,
      Tags: [...DERIVED_TAGS.metadata, GO_VERSION_TAGS["1.0.0"]],
    });
    // an old writer's plain tags, and a node without its own address (Node.Address is used)
    await consul("PUT", "/v1/agent/service/register", {
      Name: name,
      ID: `${id}-legacy`,
      Port: 43523,
      Tags: ['t={"protocol":"mucp"}', "v=latest"],
    });
    const found = await make().getService(name);
    const latest = found.find((s) => s.version === "latest")!;
    const v1 = found.find((s) => s.version === "1.0.0")!;
    expect(found).toHaveLength(2);
    expect(latest.endpoints).toEqual(greeter.endpoints);
    expect(latest.nodes).toContainEqual({ id, address: "10.0.0.5:43521", metadata: GO_METADATA });
    expect(latest.nodes.find((n) => n.id === `${id}-legacy`)).toEqual({
      id: `${id}-legacy`,
      address: "127.0.0.1:43523",
      metadata: { protocol: "mucp" },
    });
    expect(v1.nodes).toEqual([{ id: `${id}-v1`, address: "10.0.0.5:43522", metadata: GO_METADATA }]);
    expect((await make().listServices()).map((s) => s.name)).toContain(name);
  });

  it("drops a node whose TTL check expired, and a watcher hears it", async () => {
    const name = unique("ttl");
    const r = make();
    cleanup.push(`${name}-1`);
    const w = make().watch({ service: name });
    watchers.push(w);
    await sleep(200);
    await r.register(service(name, `${name}-1`), { ttl: 1_000 });
    expect((await w.next()).action).toBe("create");
    const start = Date.now();
    expect(await r.getService(name)).toHaveLength(1);
    const ev = await w.next();
    const after = Date.now() - start;
    expect(ev).toMatchObject({ action: "delete", service: { nodes: [{ id: `${name}-1` }] } });
    expect(after).toBeGreaterThan(700);
    expect(after).toBeLessThan(3_000);
    expect(await r.getService(name)).toEqual([]);
    // it still shows in the catalog until Consul reaps it (1m5s later), as in Go
    const checks = (await consul("GET", `/v1/health/checks/${name}`)) as { Status: string }[];
    expect(checks.map((c) => c.Status)).toEqual(["critical"]);
    // passing again brings it back
    await r.register(service(name, `${name}-1`), { ttl: 1_000 });
    expect((await w.next()).action).toBe("create");
  });

  it("watches with blocking queries on the catalog and on each service", async () => {
    const name = unique("watch");
    const w = make({ token: "watch-token" }).watch();
    watchers.push(w);
    await sleep(300);
    const r = make();
    cleanup.push(`${name}-1`);
    await r.register(service(name, `${name}-1`));
    const created = await eventually(async () => {
      const e = await w.next();
      if (e.service.name !== name) throw new Error("another service");
      return e;
    });
    expect(created).toMatchObject({
      action: "create",
      service: { name, version: "1.0.0", nodes: [{ id: `${name}-1` }] },
    });
    const blocking = proxy.find("GET", /[?&]index=\d+/);
    expect(blocking.length).toBeGreaterThan(0);
    expect(
      blocking.every((s) => /wait=5m0s/.test(s.url) && s.headers["x-consul-token"] === "watch-token"),
    ).toBe(true);
    expect(proxy.find("GET", new RegExp(`^/v1/health/service/${name}\\?`)).length).toBeGreaterThan(0);
  });

  it("fails over to the next agent address", async () => {
    const r = make({ addresses: [`127.0.0.1:${await deadPort()}`, proxy.address] });
    expect(await r.getService(unique("none"))).toEqual([]);
  });
});
