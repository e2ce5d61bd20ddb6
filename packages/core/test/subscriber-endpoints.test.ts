// Subscriber endpoint records: what a Go reader of the registry sees (metadata topic and
// subscriber: "true", as go-micro's server/subscriber.go writes) under a name that says which
// subscriber it is: a named function's name, else one derived from the topic (never a bare `Func`).
import { afterEach, describe, expect, it } from "vitest";
import { createService, type MicroService } from "../src/index.js";
import { subscriberName } from "../src/server/endpoints.js";
import { TestRegistry, testServiceOptions } from "./support/stack.js";

const started: MicroService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe("subscriber endpoint names", () => {
  it("registers anonymous subscribers under a topic-derived name, named ones under their own", async () => {
    const registry = new TestRegistry();
    const service = createService({ name: "subs", ...testServiceOptions({ registry }) });
    started.push(service);
    async function onAudit() {}
    const handlers = { async onOrder() {} };
    service
      .subscribe("user.created", async () => {})
      .subscribe("audit", onAudit)
      .subscribe("orders", handlers.onOrder.bind(handlers), { queue: "billing" });
    await service.start();
    const [svc] = await registry.getService("subs");
    // go-micro's order (by topic, descending) and record shape; only the names are ours
    expect(svc!.endpoints).toEqual([
      { name: "UserCreated", metadata: { topic: "user.created", subscriber: "true" } },
      { name: "onOrder", metadata: { topic: "orders", subscriber: "true" } },
      { name: "onAudit", metadata: { topic: "audit", subscriber: "true" } },
    ]);
  });

  it("derives a stable name from any topic", () => {
    expect(subscriberName("", "greeter.events")).toBe("GreeterEvents");
    expect(subscriberName("anonymous", "go.micro.service.orders-v2")).toBe("GoMicroServiceOrdersV2");
    expect(subscriberName("", "events.go")).toBe("EventsGo");
    expect(subscriberName("bound bound onEvent", "events")).toBe("onEvent");
    expect(subscriberName("", "..")).toBe("Func");
    expect(subscriberName("[handler]", "a_b")).toBe("AB");
  });
});
