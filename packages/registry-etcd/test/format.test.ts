// The bytes in etcd are the contract with Go services: these tests read and write raw keys.
import type { RegistryEvent, Service } from "@micro/core";
import { describeWithServer } from "@micro/testing/servers";
import { GO_GREETER_JSON, GO_GREETER_NODE_ID, goGreeter } from "@micro/testing/vectors";
import type { Etcd3 } from "etcd3";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { nodeKey } from "../src/index.js";
import { eventually, rawClient, recordingLogger, registry } from "./helpers.js";

// The key Go writes for the greeter's node; its value is the registry JSON
// (https://github.com/micro/go-micro/blob/v5.30.0/registry/etcd/etcd.go).
const GO_KEY = `/micro/registry/greeter/${GO_GREETER_NODE_ID}`;
const greeter = goGreeter;

describeWithServer("etcd", "etcd registry wire format", () => {
  let raw: Etcd3;
  const cleanup: string[] = [];
  beforeAll(() => {
    raw = rawClient();
  });
  afterEach(async () => {
    for (const k of cleanup.splice(0)) await raw.delete().key(k);
  });
  afterAll(() => raw.close());

  it("writes go-micro's key and value with a lease of the TTL", async () => {
    const r = registry();
    cleanup.push(GO_KEY);
    try {
      await r.register(greeter(), { ttl: 90_000 });
      const kv = (await raw.get(GO_KEY).exec()).kvs[0]!;
      expect(kv.value.toString()).toBe(GO_GREETER_JSON);
      expect(kv.lease).not.toBe("0");
      const ttl = await raw.leaseClient.leaseTimeToLive({ ID: kv.lease });
      expect(Number(ttl.grantedTTL)).toBe(90);
    } finally {
      await r.deregister(greeter());
      await r.close();
    }
    expect(await raw.get(GO_KEY).exists()).toBe(false);
  });

  it("writes one key per node, each value with exactly that node", async () => {
    const r = registry();
    const s: Service = {
      ...greeter(),
      name: "fmt-two",
      nodes: [
        { id: "fmt-two-a", address: "127.0.0.1:1", metadata: {} },
        { id: "fmt-two/b", address: "127.0.0.1:2", metadata: { k: "v" } },
      ],
    };
    cleanup.push(nodeKey("fmt-two", "fmt-two-a"), nodeKey("fmt-two", "fmt-two/b"));
    try {
      await r.register(s);
      const kvs = await raw.getAll().prefix("/micro/registry/fmt-two/").strings();
      expect(Object.keys(kvs).sort()).toEqual([
        "/micro/registry/fmt-two/fmt-two-a",
        "/micro/registry/fmt-two/fmt-two-b",
      ]);
      const b = JSON.parse(kvs["/micro/registry/fmt-two/fmt-two-b"]!);
      expect(b.nodes).toEqual([{ metadata: { k: "v" }, id: "fmt-two/b", address: "127.0.0.1:2" }]);
    } finally {
      await r.close();
    }
  });

  it("reads a value a Go service wrote (nulls, metadata:null, extra keys)", async () => {
    const key = "/micro/registry/go-shaped/go-shaped-1";
    cleanup.push(key);
    const goValue =
      '{"name":"go-shaped","version":"1.0","metadata":null,"endpoints":null,"nodes":[{"metadata":null,"id":"go-shaped-1","address":"10.1.1.1:8080","extra":true}]}';
    await raw.put(key).value(goValue);
    const r = registry();
    try {
      expect(await r.getService("go-shaped")).toEqual([
        {
          name: "go-shaped",
          version: "1.0",
          endpoints: [],
          nodes: [{ id: "go-shaped-1", address: "10.1.1.1:8080", metadata: {} }],
        },
      ]);
      await r.register(greeter());
      cleanup.push(GO_KEY);
      const listed = await r.listServices();
      const names = listed.map((s) => s.name);
      expect(names).toContain("go-shaped");
      expect(names).toContain("greeter");
      expect([...names].sort()).toEqual(names);
    } finally {
      await r.close();
    }
  });

  it("skips a malformed record under the prefix with a warning", async () => {
    const [bad, wrong, good] = ["bad-json/n1", "bad-json/n2", "bad-json/n3"].map(
      (k) => `/micro/registry/${k}`,
    );
    cleanup.push(bad!, wrong!, good!);
    await raw.put(bad!).value("{not json");
    await raw.put(wrong!).value('{"name":"bad-json","nodes":{"not":"an array"}}');
    await raw
      .put(good!)
      .value('{"name":"bad-json","version":"1","nodes":[{"id":"n3","address":"127.0.0.1:3"}]}');
    const logger = recordingLogger();
    const r = registry({ logger });
    try {
      const got = await r.getService("bad-json");
      expect(got.map((s) => s.nodes.map((n) => n.id))).toEqual([["n3"]]);
      expect(logger.warnings.some((w) => w.includes(bad!))).toBe(true);
      expect(logger.warnings.some((w) => w.includes(wrong!))).toBe(true);
      expect((await r.listServices()).map((s) => s.name)).toContain("bad-json");
    } finally {
      await r.close();
    }
  });

  it("watches raw puts and deletes: create, update, delete with the previous value", async () => {
    const key = "/micro/registry/raw-watch/raw-watch-1";
    cleanup.push(key);
    const r = registry();
    const events: RegistryEvent[] = [];
    const w = r.watch({ service: "raw-watch" });
    void (async () => {
      for await (const e of w) events.push(e);
    })();
    try {
      await new Promise((res) => setTimeout(res, 300));
      const v = (color: string) =>
        `{"name":"raw-watch","version":"1","metadata":null,"endpoints":null,"nodes":[{"metadata":{"color":"${color}"},"id":"raw-watch-1","address":"127.0.0.1:9"}]}`;
      await raw.put(key).value(v("blue"));
      await raw.put(key).value(v("green"));
      await raw.put("/micro/registry/raw-other/x").value(v("red")); // another service: not seen
      await raw.delete().key(key);
      await eventually(() => expect(events.map((e) => e.action)).toEqual(["create", "update", "delete"]));
      expect(events.map((e) => e.service.nodes[0]!.metadata.color)).toEqual(["blue", "green", "green"]);
      expect(events[2]!.service.nodes[0]!.address).toBe("127.0.0.1:9");
    } finally {
      w.stop();
      await raw.delete().key("/micro/registry/raw-other/x");
      await r.close();
    }
  });

  it("re-registering an unchanged node keeps the key (no new write, same lease)", async () => {
    const r = registry();
    cleanup.push(GO_KEY);
    try {
      await r.register(greeter(), { ttl: 30_000 });
      const first = (await raw.get(GO_KEY).exec()).kvs[0]!;
      await r.register(greeter(), { ttl: 30_000 });
      const second = (await raw.get(GO_KEY).exec()).kvs[0]!;
      expect(second.mod_revision).toBe(first.mod_revision);
      expect(second.lease).toBe(first.lease);
      // a changed node is written again
      const changed = greeter();
      changed.nodes[0]!.metadata.extra = "1";
      await r.register(changed, { ttl: 30_000 });
      const third = (await raw.get(GO_KEY).exec()).kvs[0]!;
      expect(third.mod_revision).not.toBe(first.mod_revision);
      expect(JSON.parse(third.value.toString()).nodes[0].metadata.extra).toBe("1");
    } finally {
      await r.deregister(greeter());
      await r.close();
    }
  });
});
