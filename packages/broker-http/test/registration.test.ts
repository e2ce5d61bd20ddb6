import { type RegisterOptions, type Service, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { afterEach, describe, expect, it } from "vitest";
import { HttpBroker } from "../src/http-broker.js";

class RecordingRegistry extends MemoryRegistry {
  readonly ttls: (number | undefined)[] = [];
  override async register(service: Service, options?: RegisterOptions): Promise<void> {
    this.ttls.push(options?.ttl);
    return super.register(service, options);
  }
}

const brokers: HttpBroker[] = [];
function broker(registry: MemoryRegistry, extra: Partial<ConstructorParameters<typeof HttpBroker>[0]> = {}) {
  const b = new HttpBroker({ registry, logger: silentLogger, ...extra });
  brokers.push(b);
  return b;
}
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.disconnect();
});

describe("subscription registration", () => {
  it("registers micro.http.broker, version ff.http.broadcast, node <topic>-<brokerUUID> at the listener", async () => {
    const registry = new RecordingRegistry();
    const b = broker(registry);
    await b.connect();
    expect(b.address()).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(b.address()).not.toBe("127.0.0.1:0");
    await b.subscribe("events", () => {});
    expect(await registry.getService("micro.http.broker")).toEqual([
      {
        name: "micro.http.broker",
        version: "ff.http.broadcast",
        endpoints: [],
        nodes: [
          {
            id: `events-${b.id}`,
            address: b.address(),
            metadata: { secure: "false", broker: "http", topic: "events" },
          },
        ],
      },
    ]);
    expect(b.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(registry.ttls).toEqual([60_000]);
  });

  it("registers a queue subscription under the queue name as version", async () => {
    const registry = new MemoryRegistry();
    const b = broker(registry);
    await b.connect();
    const sub = await b.subscribe("events", () => {}, { queue: "workers" });
    expect(sub.queue).toBe("workers");
    const [svc] = await registry.getService("micro.http.broker");
    expect(svc!.version).toBe("workers");
    expect(svc!.nodes).toHaveLength(1);
    expect(svc!.nodes[0]!.id).toMatch(/^events-[0-9a-f-]{36}$/);
    expect(svc!.nodes[0]!.address).toBe(b.address());
    expect(svc!.nodes[0]!.metadata).toEqual({ secure: "false", broker: "http", topic: "events" });
  });

  it("gives a broadcast and a queue subscription of one topic distinct nodes", async () => {
    const registry = new MemoryRegistry();
    const b = broker(registry);
    await b.connect();
    await b.subscribe("events", () => {});
    await b.subscribe("events", () => {}, { queue: "workers" });
    const services = await registry.getService("micro.http.broker");
    expect(services.map((s) => s.version).sort()).toEqual(["ff.http.broadcast", "workers"]);
    const ids = services.flatMap((s) => s.nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(2);
  });

  it("defers registration of a subscription made before connect, never registering port 0", async () => {
    const registry = new MemoryRegistry();
    const b = broker(registry);
    await b.subscribe("early", () => {});
    expect(await registry.getService("micro.http.broker")).toEqual([]);
    await b.connect();
    const [svc] = await registry.getService("micro.http.broker");
    expect(svc!.nodes[0]!.address).toBe(b.address());
    expect(svc!.nodes[0]!.address.endsWith(":0")).toBe(false);
  });

  it("deregisters when the last local subscriber of a node unsubscribes", async () => {
    const registry = new MemoryRegistry();
    const b = broker(registry);
    await b.connect();
    const one = await b.subscribe("events", () => {});
    const two = await b.subscribe("events", () => {});
    await one.unsubscribe();
    expect(await registry.getService("micro.http.broker")).toHaveLength(1);
    await two.unsubscribe();
    expect(await registry.getService("micro.http.broker")).toEqual([]);
  });

  it("deregisters on disconnect and registers again on the new listener after reconnect", async () => {
    const registry = new MemoryRegistry();
    const b = broker(registry);
    await b.connect();
    await b.subscribe("events", () => {});
    await b.disconnect();
    expect(await registry.getService("micro.http.broker")).toEqual([]);
    await b.connect();
    const [svc] = await registry.getService("micro.http.broker");
    expect(svc!.nodes[0]!.address).toBe(b.address());
  });

  it("re-registers on an interval so the TTL never lapses", async () => {
    const registry = new RecordingRegistry();
    const b = broker(registry, { registerInterval: 30, registerTTL: 1000 });
    await b.connect();
    await b.subscribe("events", () => {});
    await new Promise((r) => setTimeout(r, 120));
    expect(registry.ttls.length).toBeGreaterThanOrEqual(3);
    expect(new Set(registry.ttls)).toEqual(new Set([1000]));
  });

  it("fails the subscribe when the registry refuses it, leaving nothing behind", async () => {
    const registry = new MemoryRegistry();
    registry.register = async () => {
      throw new Error("registry down");
    };
    const b = broker(registry);
    await b.connect();
    await expect(b.subscribe("events", () => {})).rejects.toThrow("registry down");
  });
});
