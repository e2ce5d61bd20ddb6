// One in-memory world for tests: the services `mk` creates share one registry, transport, broker and
// selector (testServiceOptions, made once); they are collected in `started` so the test's afterEach
// can stop them.
import { createService, type MicroService } from "../../src/index.js";
import { MemoryTransport } from "./memory-transport.js";
import { TestRegistry, testServiceOptions } from "./stack.js";

export function testWorld(started: MicroService[]) {
  const registry = new TestRegistry();
  const transport = new MemoryTransport();
  const options = testServiceOptions({ registry, transport });
  const mk = (name: string, extra: Record<string, unknown> = {}) => {
    const s = createService({ name, ...options, ...extra });
    started.push(s);
    return s;
  };
  return { ...options, registry, transport, options, mk };
}
