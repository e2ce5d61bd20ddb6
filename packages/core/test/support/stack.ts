// Minimal registry, selector, codec and broker for core tests (the real ones are separate packages).
import {
  type Broker,
  type BrokerHandler,
  type Codec,
  Frame,
  MicroError,
  type Registry,
  registerPlugin,
  type Selector,
  type Service,
  type ServiceOptions,
  type SubscribeOptions,
  silentLogger,
  type Transport,
} from "../../src/index.js";
import { mergeByVersion } from "../../src/plugin-kit.js";
import { MemoryTransport } from "./memory-transport.js";

export const testJson: Codec = {
  name: "json",
  marshal: (v) => (v instanceof Frame ? v.data : Buffer.from(`${JSON.stringify(v)}\n`)),
  unmarshal: (d) => (d.length ? JSON.parse(Buffer.from(d).toString()) : {}),
};
registerPlugin({
  kind: "codec",
  name: "json",
  contentTypes: ["application/json"],
  default: true,
  create: () => testJson,
});

export class TestRegistry implements Registry {
  readonly name = "test";
  readonly services = new Map<string, Service>();
  gets = 0;
  async register(s: Service) {
    for (const n of s.nodes) this.services.set(n.id, { ...s, nodes: [n] });
  }
  async deregister(s: Service) {
    for (const n of s.nodes) this.services.delete(n.id);
  }
  async getService(name: string) {
    this.gets++;
    return mergeByVersion([...this.services.values()].filter((s) => s.name === name));
  }
  async listServices() {
    return mergeByVersion(this.services.values());
  }
  watch(): never {
    throw new Error("not in tests");
  }
  async close() {}
}

export function testSelector(registry: Registry): Selector & { marks: unknown[] } {
  const marks: unknown[] = [];
  return {
    name: "test",
    marks,
    async select(service, options) {
      let services = await registry.getService(service);
      for (const filter of options?.filters ?? []) services = filter(services);
      const nodes = services.flatMap((s) => s.nodes);
      if (!nodes.length) throw MicroError.internal("go.micro.client", `service ${service}: not found`);
      let i = 0;
      return () => nodes[i++ % nodes.length]!;
    },
    mark(_s, node, err) {
      marks.push([node.id, err]);
    },
    reset() {},
    async close() {},
  };
}

export class TestBroker implements Broker {
  readonly name = "test";
  readonly subs = new Map<string, BrokerHandler[]>();
  /** What each subscribe() asked the broker for, to check the server passes options through. */
  readonly subscribeOptions: [string, SubscribeOptions | undefined][] = [];
  address() {
    return "";
  }
  async connect() {}
  async disconnect() {}
  async publish(topic: string, message: { header: Record<string, string>; body: Uint8Array }) {
    for (const h of this.subs.get(topic) ?? []) await h({ topic, message, ack: async () => {} });
  }
  async subscribe(topic: string, handler: BrokerHandler, options?: SubscribeOptions) {
    this.subscribeOptions.push([topic, options]);
    const list = this.subs.get(topic) ?? [];
    list.push(handler);
    this.subs.set(topic, list);
    return {
      topic,
      unsubscribe: async () => {
        this.subs.set(
          topic,
          (this.subs.get(topic) ?? []).filter((h) => h !== handler),
        );
      },
    };
  }
}

/**
 * Options of a service on this test stack: no flags or env read, silent, loopback. Services that call
 * each other share the registry and the transport given.
 */
export function testServiceOptions({
  registry = new TestRegistry(),
  transport = new MemoryTransport(),
}: {
  registry?: Registry;
  transport?: Transport;
} = {}) {
  return {
    registry,
    transport,
    broker: new TestBroker(),
    selector: testSelector(registry),
    argv: [],
    env: {},
    logger: silentLogger,
    address: "127.0.0.1:0",
  } satisfies Omit<ServiceOptions, "name">;
}
