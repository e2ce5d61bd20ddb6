// Services in one process share the memory broker (one instance, connects counted): one of them
// stopping must not drop the subscriptions of the others.
import { createService } from "@micro/core";
import { loopbackServiceOptions } from "@micro/testing/helpers";
import { afterAll, expect, it } from "vitest";
import "../src/index.js";

const opts = loopbackServiceOptions("memory");

const stopped: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of stopped) await s.stop();
});

it("a service stopping leaves the other services' subscriptions in place", async () => {
  const got: unknown[] = [];
  const listener = createService({ name: "shared.listener", ...opts });
  listener.subscribe("shared.topic", async (_ctx, msg) => void got.push(msg));
  await listener.start();
  stopped.push(listener);
  const other = createService({ name: "shared.other", ...opts });
  await other.start();
  await other.stop();
  await listener.client.publish("shared.topic", { n: 1 });
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual([{ n: 1 }]);
});
