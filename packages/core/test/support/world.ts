// One in-memory world for tests: a registry, transport, broker and selector shared by every service
// `mk` creates; the services are collected in `started` so the test's afterEach can stop them.
import { createService, type MicroService, silentLogger } from "../../src/index.js";
import { MemoryTransport } from "./memory-transport.js";
import { TestBroker, TestRegistry, testSelector } from "./stack.js";

export function testWorld(started: MicroService[]) {
  const registry = new TestRegistry();
  const transport = new MemoryTransport();
  const broker = new TestBroker();
  const selector = testSelector(registry);
  const mk = (name: string, extra: Record<string, unknown> = {}) => {
    const s = createService({
      name,
      registry,
      transport,
      broker,
      selector,
      argv: [],
      env: {},
      logger: silentLogger,
      address: "127.0.0.1:0",
      ...extra,
    });
    started.push(s);
    return s;
  };
  return { registry, transport, broker, selector, mk };
}
