// The conformance suite every Registry runs. Each test uses its own service names, so registries
// that share state (one in-process instance, one server, one multicast group) never see another
// test's entries.
import { randomUUID } from "node:crypto";
import type { Endpoint, Node, Registry, RegistryEvent, Service, Watcher } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, sleep } from "./helpers.js";
import { scaleService } from "./scale-service.js";

export { scaleEndpoints, scaleService } from "./scale-service.js";

export interface RegistryCapabilities {
  /** A node registered with a TTL disappears once it is no longer re-registered (default true). */
  ttl?: boolean;
  /** `watch()` reports creates and deletes (default true). */
  watch?: boolean;
  /** Watchers see `update` when a registered node's record changes (default true). */
  watchUpdate?: boolean;
  /** Service-level metadata survives the round trip (default true; mdns carries only node metadata). */
  serviceMetadata?: boolean;
  /** The TTL the expiry test registers with, in ms (default 1000). */
  ttlMs?: number;
  /** Nodes the concurrency test registers at once (default 20). */
  concurrency?: number;
  /**
   * Services (one node and three endpoint schemas each, ~1.3 KB a record) the scale test registers
   * from one participant and lists from another (default 0: not run). The registries with a
   * server run it with a few thousand: listing must not depend on the records' size (issue 19).
   */
  scale?: number;
}

export interface RegistrySuiteOptions {
  /**
   * A registry. Called once per participant, so multi-participant tests act like separate
   * processes; instances must share their backend. Every instance is closed after each test, so
   * a shared instance must survive `close()` (the memory registry does).
   */
  create: () => Registry | Promise<Registry>;
  capabilities?: RegistryCapabilities;
  /** ms to wait after starting a watcher before writing, for registries whose watches start asynchronously (default 0). */
  settle?: number;
  /** ms to wait for something expected (default 5000). */
  timeout?: number;
  /** ms to wait to be confident something unexpected will not happen (default 200). */
  quiet?: number;
}

interface Recorder {
  events: RegistryEvent[];
  watcher: Watcher;
}

// Pulls events in the background so tests can wait for one that matches.
function record(watcher: Watcher): Recorder {
  const events: RegistryEvent[] = [];
  void (async () => {
    try {
      for (;;) events.push(await watcher.next());
    } catch {
      // stopped
    }
  })();
  return { events, watcher };
}

const nodeIds = (s: Service | undefined) => (s?.nodes ?? []).map((n) => n.id).sort();
const byVersion = (services: Service[]) => [...services].sort((a, b) => a.version.localeCompare(b.version));

export function testRegistry(name: string, options: RegistrySuiteOptions): void {
  const caps = options.capabilities ?? {};
  const timeout = options.timeout ?? 5000;
  const quiet = options.quiet ?? 200;
  const ttlMs = caps.ttlMs ?? 1000;
  const settle = () => (options.settle ? sleep(options.settle) : Promise.resolve());

  describe(`registry conformance: ${name}`, () => {
    const live: Registry[] = [];
    const registered: { registry: Registry; service: Service }[] = [];
    const watchers: Watcher[] = [];

    async function registry(): Promise<Registry> {
      const r = await options.create();
      if (!live.includes(r)) live.push(r);
      return r;
    }

    async function register(r: Registry, service: Service, ttl?: number): Promise<void> {
      await r.register(service, ttl ? { ttl } : undefined);
      registered.push({ registry: r, service });
    }

    function watch(r: Registry, service?: string): Recorder {
      const w = r.watch(service ? { service } : {});
      watchers.push(w);
      return record(w);
    }

    // Entries, watchers and sockets are released after each test even when it fails.
    afterEach(async () => {
      for (const w of watchers.splice(0)) w.stop();
      for (const { registry: r, service } of registered.splice(0))
        await r.deregister(service).catch(() => {});
      for (const r of live.splice(0)) await r.close().catch(() => {});
    });

    const serviceName = (what: string) => `conformance-${what}-${randomUUID().slice(0, 8)}`;
    let port = 20000 + Math.floor(Math.random() * 20000);
    const node = (id: string, metadata: Record<string, string> = {}): Node => ({
      id,
      address: `127.0.0.1:${port++}`,
      metadata,
    });
    const service = (svc: string, version: string, nodes: Node[], endpoints: Endpoint[] = []): Service => ({
      name: svc,
      version,
      endpoints,
      nodes,
    });

    async function waitForEvent(rec: Recorder, what: string, match: (e: RegistryEvent) => boolean) {
      await eventually(() => {
        if (!rec.events.some(match))
          throw new Error(
            `timed out waiting for ${what}; saw ${JSON.stringify(rec.events.map((e) => [e.action, nodeIds(e.service)]))}`,
          );
      }, timeout);
      return rec.events.find(match)!;
    }

    const hasNode = (action: RegistryEvent["action"], svc: string, id: string) => (e: RegistryEvent) =>
      e.action === action && e.service.name === svc && e.service.nodes.some((n) => n.id === id);

    it("has a name", async () => {
      const r = await registry();
      expect(typeof r.name).toBe("string");
      expect(r.name.length).toBeGreaterThan(0);
    });

    it("finds nothing for an unknown service", async () => {
      const r = await registry();
      const svc = serviceName("unknown");
      expect(await r.getService(svc)).toEqual([]);
      expect((await r.listServices()).map((s) => s.name)).not.toContain(svc);
    });

    it("registers, gets, lists and deregisters a service", async () => {
      const r = await registry();
      const svc = serviceName("basic");
      const n = node(`${svc}-1`, { server: "mucp" });
      const s = service(svc, "1.0.0", [n]);
      await register(r, s);
      const got = await eventually(async () => {
        const found = await r.getService(svc);
        expect(found).toHaveLength(1);
        return found;
      }, timeout);
      expect(got[0]!.name).toBe(svc);
      expect(got[0]!.version).toBe("1.0.0");
      expect(got[0]!.nodes).toEqual([n]);
      await eventually(
        async () => expect((await r.listServices()).map((x) => x.name)).toContain(svc),
        timeout,
      );

      await r.deregister(s);
      await eventually(async () => expect(await r.getService(svc)).toEqual([]), timeout);
      await eventually(
        async () => expect((await r.listServices()).map((x) => x.name)).not.toContain(svc),
        timeout,
      );
    });

    it("sees what another instance registered", async () => {
      const [a, b] = [await registry(), await registry()];
      const svc = serviceName("shared");
      const s = service(svc, "1.0.0", [node(`${svc}-1`)]);
      await register(a, s);
      await eventually(
        async () => expect(nodeIds((await b.getService(svc))[0])).toEqual([`${svc}-1`]),
        timeout,
      );
      await a.deregister(s);
      await eventually(async () => expect(await b.getService(svc)).toEqual([]), timeout);
    });

    it("returns every node of a version in one service", async () => {
      const [a, b] = [await registry(), await registry()];
      const svc = serviceName("nodes");
      await register(a, service(svc, "1.0.0", [node(`${svc}-1`), node(`${svc}-2`)]));
      await register(b, service(svc, "1.0.0", [node(`${svc}-3`)]));
      await eventually(async () => {
        const got = await a.getService(svc);
        expect(got).toHaveLength(1);
        expect(nodeIds(got[0])).toEqual([`${svc}-1`, `${svc}-2`, `${svc}-3`]);
      }, timeout);
    });

    it("returns one service per version, each with its own nodes", async () => {
      const [a, b] = [await registry(), await registry()];
      const svc = serviceName("versions");
      await register(a, service(svc, "1.0.0", [node(`${svc}-v1a`), node(`${svc}-v1b`)]));
      await register(b, service(svc, "2.0.0", [node(`${svc}-v2a`)]));
      await eventually(async () => {
        const got = byVersion(await a.getService(svc));
        expect(got.map((s) => s.version)).toEqual(["1.0.0", "2.0.0"]);
        expect(nodeIds(got[0])).toEqual([`${svc}-v1a`, `${svc}-v1b`]);
        expect(nodeIds(got[1])).toEqual([`${svc}-v2a`]);
      }, timeout);
      const listed = (await a.listServices()).filter((s) => s.name === svc);
      expect(listed.length).toBeGreaterThan(0);
    });

    it("deregistering one node keeps the others", async () => {
      const r = await registry();
      const svc = serviceName("partial");
      const [n1, n2] = [node(`${svc}-1`), node(`${svc}-2`)];
      await register(r, service(svc, "1.0.0", [n1, n2]));
      await eventually(async () => expect(nodeIds((await r.getService(svc))[0])).toHaveLength(2), timeout);
      await r.deregister(service(svc, "1.0.0", [n1]));
      await eventually(async () => expect(nodeIds((await r.getService(svc))[0])).toEqual([n2.id]), timeout);
    });

    it("treats re-registration of a node as one node", async () => {
      const r = await registry();
      const svc = serviceName("again");
      const s = service(svc, "1.0.0", [node(`${svc}-1`)]);
      await register(r, s);
      await register(r, s);
      await register(r, structuredClone(s));
      await eventually(
        async () => expect(nodeIds((await r.getService(svc))[0])).toEqual([`${svc}-1`]),
        timeout,
      );
      await sleep(quiet);
      const got = await r.getService(svc);
      expect(got).toHaveLength(1);
      expect(got[0]!.nodes).toHaveLength(1);
    });

    it("resolves deregistering something never registered", async () => {
      const r = await registry();
      const svc = serviceName("never");
      await r.deregister(service(svc, "1.0.0", [node(`${svc}-1`)]));
    });

    it("keeps endpoints and metadata intact through a round trip", async () => {
      const [a, b] = [await registry(), await registry()];
      const svc = serviceName("roundtrip");
      const endpoints: Endpoint[] = [
        {
          name: "Greeter.Hello",
          request: {
            name: "Request",
            type: "Request",
            values: [
              { name: "name", type: "string" },
              { name: "tags", type: "[]string" },
              { name: "inner", type: "Inner", values: [{ name: "deep", type: "int64" }] },
            ],
          },
          response: { name: "Response", type: "Response", values: [{ name: "msg", type: "string" }] },
          metadata: { stream: "false", "x-html": "<b>&amp;</b>" },
        },
        { name: "Greeter.Ping", metadata: {} },
      ];
      const metadata = {
        broker: "http",
        protocol: "mucp",
        registry: a.name,
        unicode: "héllo wörld ✓",
        html: "<script>&</script>",
        quotes: '"quoted" and \\ back',
        empty: "",
      };
      const n = node(`${svc}-1`, metadata);
      const s: Service = {
        ...service(svc, "1.2.3-beta+x", [n], endpoints),
        metadata: { owner: "team <a&b>" },
      };
      await register(a, s);
      const got = await eventually(async () => {
        const found = await b.getService(svc);
        expect(found).toHaveLength(1);
        return found[0]!;
      }, timeout);
      expect(got.name).toBe(svc);
      expect(got.version).toBe("1.2.3-beta+x");
      expect(got.nodes).toEqual([n]);
      expect(got.endpoints).toEqual(endpoints);
      if (caps.serviceMetadata !== false) expect(got.metadata).toEqual({ owner: "team <a&b>" });
    });

    it("copes with concurrent registrations", async () => {
      const [a, b] = [await registry(), await registry()];
      const svc = serviceName("concurrent");
      const count = caps.concurrency ?? 20;
      const ids = Array.from({ length: count }, (_, i) => `${svc}-${String(i).padStart(2, "0")}`);
      const nodes = ids.map((id) => node(id));
      const owner = (i: number) => (i % 2 ? a : b);
      await Promise.all(nodes.map((n, i) => register(owner(i), service(svc, "1.0.0", [n]))));
      const others = Array.from({ length: 5 }, (_, i) => serviceName(`many${i}`));
      await Promise.all(others.map((o, i) => register(i % 2 ? a : b, service(o, "1.0.0", [node(`${o}-1`)]))));
      await eventually(async () => expect(nodeIds((await a.getService(svc))[0])).toEqual(ids), timeout);
      await eventually(async () => {
        const names = (await b.listServices()).map((s) => s.name);
        for (const o of [svc, ...others]) expect(names).toContain(o);
      }, timeout);
      const half = Math.floor(count / 2);
      await Promise.all(nodes.slice(0, half).map((n, i) => owner(i).deregister(service(svc, "1.0.0", [n]))));
      await eventually(async () => {
        const left = nodeIds((await b.getService(svc))[0]);
        expect(left).toEqual(ids.slice(half));
      }, timeout);
    });

    const scale = caps.scale ?? 0;
    it.skipIf(scale === 0)(
      `lists ${scale} services registered by another participant, then describes one whole`,
      async () => {
        const [a, b] = [await registry(), await registry()];
        const run = serviceName("scale");
        const services = Array.from({ length: scale }, (_, i) =>
          scaleService(`${run}-${String(i).padStart(5, "0")}`, [node(`${run}-${i}`)]),
        );
        // a few hundred at a time, as many services starting at once would
        for (let i = 0; i < scale; i += 250)
          await Promise.all(services.slice(i, i + 250).map((s) => register(a, s)));
        await eventually(async () => {
          const listed = (await b.listServices()).map((s) => s.name).filter((n) => n.startsWith(run));
          expect(new Set(listed).size).toBe(scale);
        }, timeout);
        const one = services[Math.floor(scale / 2)]!;
        const [got] = await b.getService(one.name);
        expect(got?.endpoints).toEqual(one.endpoints);
        expect(nodeIds(got)).toEqual(nodeIds(one));
      },
      120_000,
    );

    it.skipIf(caps.ttl === false)("expires a node that stops re-registering", async () => {
      const [a, b] = [await registry(), await registry()];
      const svc = serviceName("ttl");
      const s = service(svc, "1.0.0", [node(`${svc}-1`)]);
      const rec = caps.watch === false ? undefined : watch(b, svc);
      if (rec) await settle();
      const start = Date.now();
      await register(a, s, ttlMs);
      await sleep(ttlMs / 2);
      await register(a, s, ttlMs); // refreshed: lives until about 1.5 x ttl
      await sleep(Math.max(0, start + ttlMs * 1.15 - Date.now()));
      expect(nodeIds((await b.getService(svc))[0])).toEqual([`${svc}-1`]);
      // no more refreshes
      await eventually(async () => expect(await b.getService(svc)).toEqual([]), ttlMs * 2 + timeout);
      expect(Date.now() - start).toBeGreaterThanOrEqual(ttlMs * 1.4);
      if (rec) await waitForEvent(rec, "a delete on expiry", hasNode("delete", svc, `${svc}-1`));
    });

    describe.skipIf(caps.watch === false)("watch", () => {
      it("reports creates and deletes", async () => {
        const [a, b] = [await registry(), await registry()];
        const svc = serviceName("watch");
        const rec = watch(b);
        await settle();
        const n = node(`${svc}-1`, { k: "v" });
        const s = service(svc, "1.0.0", [n]);
        await register(a, s);
        const created = await waitForEvent(rec, "a create", hasNode("create", svc, n.id));
        expect(created.service.version).toBe("1.0.0");
        expect(created.service.nodes).toEqual([n]);
        await a.deregister(s);
        const deleted = await waitForEvent(rec, "a delete", hasNode("delete", svc, n.id));
        expect(deleted.service.nodes.map((x) => x.id)).toEqual([n.id]);
      });

      it("reports only the watched service", async () => {
        const r = await registry();
        const [svc, other] = [serviceName("watched"), serviceName("unwatched")];
        const rec = watch(r, svc);
        await settle();
        await register(r, service(other, "1.0.0", [node(`${other}-1`)]));
        await register(r, service(svc, "1.0.0", [node(`${svc}-1`)]));
        await waitForEvent(rec, "a create", hasNode("create", svc, `${svc}-1`));
        await sleep(quiet);
        expect(rec.events.every((e) => e.service.name === svc)).toBe(true);
      });

      it.skipIf(caps.watchUpdate === false)("reports a changed node as an update", async () => {
        const r = await registry();
        const svc = serviceName("update");
        const rec = watch(r, svc);
        await settle();
        const n = node(`${svc}-1`, { color: "blue" });
        await register(r, service(svc, "1.0.0", [n]));
        await waitForEvent(rec, "a create", hasNode("create", svc, n.id));
        await register(r, service(svc, "1.0.0", [{ ...n, metadata: { color: "green" } }]));
        const updated = await waitForEvent(rec, "an update", hasNode("update", svc, n.id));
        expect(updated.service.nodes[0]!.metadata).toEqual({ color: "green" });
      });

      it("ends when stopped", async () => {
        const r = await registry();
        const w = r.watch();
        watchers.push(w);
        const pending = w.next();
        w.stop();
        await expect(pending).rejects.toThrow();
        await expect(w.next()).rejects.toThrow();
        const w2 = r.watch();
        watchers.push(w2);
        const seen: RegistryEvent[] = [];
        const loop = (async () => {
          for await (const e of w2) seen.push(e);
        })();
        w2.stop();
        await loop;
        expect(seen).toEqual([]);
      });
    });
  });
}
