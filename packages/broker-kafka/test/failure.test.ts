// An unreachable cluster is an error naming it, within seconds: never a hang.
import { expect, it } from "vitest";
import { broker, text } from "./helpers.js";

it("rejects connect, publish and subscribe with the brokers named when nothing listens", async () => {
  // port 1 on loopback: refused at once; a cluster that does not answer at all is bounded by
  // connectionTimeout x (retries + 1)
  const b = broker({ brokers: ["127.0.0.1:1", "127.0.0.1:2"] });
  const t0 = Date.now();
  await expect(b.connect()).rejects.toThrow(
    /cannot reach the Kafka cluster at 127\.0\.0\.1:1, 127\.0\.0\.1:2/,
  );
  await expect(b.publish("t", { header: {}, body: text("x") })).rejects.toThrow(/127\.0\.0\.1:1/);
  await expect(b.subscribe("t", () => {})).rejects.toThrow(/127\.0\.0\.1:1/);
  expect(Date.now() - t0).toBeLessThan(20_000);
  await b.disconnect();
});

it("bounds connecting to an address that never answers", async () => {
  // a listener that accepts TCP but never speaks Kafka: each request times out
  const { createServer } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((s) => void sockets.add(s));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  try {
    const b = broker({ brokers: [`127.0.0.1:${port}`], connectionTimeout: 500, retries: 1 });
    const t0 = Date.now();
    await expect(b.connect()).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(Date.now() - t0).toBeLessThan(15_000);
    await b.disconnect();
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});
