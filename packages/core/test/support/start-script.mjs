// A service process for the start-up error tests: fake plugins (each its kind's default) and a
// registry "etcd" that cannot be reached when MICRO_TEST_UNREACHABLE is set.
import { createService, registerPlugin } from "../../dist/index.js";

const registry = {
  name: "etcd",
  async register() {
    if (process.env.MICRO_TEST_UNREACHABLE)
      throw new Error("cannot reach etcd at 127.0.0.1:1: connection refused");
  },
  async deregister() {},
  async getService() {
    return [];
  },
  async listServices() {
    return [];
  },
  watch() {
    throw new Error("no watch");
  },
  async close() {},
};
registerPlugin({ kind: "registry", name: "etcd", default: true, create: () => registry });
registerPlugin({
  kind: "transport",
  name: "none",
  default: true,
  create: () => ({
    name: "none",
    async listen() {
      return { addr: () => "127.0.0.1:1", accept() {}, async close() {} };
    },
    async dial() {
      throw new Error("no dial");
    },
  }),
});
registerPlugin({
  kind: "broker",
  name: "none",
  default: true,
  create: () => ({
    name: "none",
    address: () => "",
    async connect() {},
    async disconnect() {},
    async publish() {},
    async subscribe() {
      return { topic: "", async unsubscribe() {} };
    },
  }),
});
registerPlugin({
  kind: "selector",
  name: "none",
  default: true,
  create: () => ({ name: "none", async select() {}, mark() {}, reset() {}, async close() {} }),
});
registerPlugin({
  kind: "codec",
  name: "text",
  default: true,
  contentTypes: ["text/plain"],
  create: () => ({ name: "text", marshal: (v) => Buffer.from(String(v)), unmarshal: (d) => String(d) }),
});

const service = createService({
  name: "starter",
  flags: [{ name: "greeting", description: "What to say", default: "hello" }],
});
service.handle("Greeter", { async hello() {} });
await service.run();
