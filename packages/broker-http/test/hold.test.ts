// The listener keeps the process alive only while something here is subscribed: a client that
// connected only to publish (go-micro's client connects on its first publish) lets a script end.
import { silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { describe, expect, it } from "vitest";
import { HttpBroker } from "../src/http-broker.js";

/** Listening servers that keep the event loop alive (unref'd ones are not counted). */
const holding = () => process.getActiveResourcesInfo().filter((r) => r === "TCPServerWrap").length;

describe("the listener and the process", () => {
  it("holds the process only while subscribed", async () => {
    const broker = new HttpBroker({ registry: new MemoryRegistry(), logger: silentLogger });
    const before = holding();
    try {
      await broker.connect();
      expect(holding()).toBe(before);
      const sub = await broker.subscribe("hold.test", async () => {});
      expect(holding()).toBe(before + 1);
      await sub.unsubscribe();
      expect(holding()).toBe(before);
    } finally {
      await broker.disconnect();
    }
  });

  it("holds it from the start when subscribed before connecting", async () => {
    const broker = new HttpBroker({ registry: new MemoryRegistry(), logger: silentLogger });
    const before = holding();
    try {
      await broker.subscribe("hold.early", async () => {});
      await broker.connect();
      expect(holding()).toBe(before + 1);
    } finally {
      await broker.disconnect();
    }
  });
});
