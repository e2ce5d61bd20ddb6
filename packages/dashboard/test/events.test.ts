// The live registry stream behind the home page: a snapshot first, then one event per service that
// changes, the stream count bounded, and every stream ended when the gateway closes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Mesh, record, startMesh } from "./support/mesh.js";
import { SseReader } from "./support/sse.js";

let mesh: Mesh;

beforeAll(async () => {
  mesh = await startMesh({ dashboard: { maxEventStreams: 2, eventsDebounce: 20 } });
});

afterAll(async () => {
  await mesh?.close();
});

async function open(): Promise<SseReader> {
  const res = await fetch(`${mesh.url}/dashboard/events`, { headers: { Accept: "text/event-stream" } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  return new SseReader(res);
}

describe("/dashboard/events", () => {
  it("sends a snapshot, then an event when a service registers and when it leaves", async () => {
    const events = await open();
    const snapshot = await events.next();
    expect(snapshot.event).toBe("snapshot");
    const { services } = JSON.parse(snapshot.data) as { services: { name: string }[] };
    expect(services.map((s) => s.name)).toContain("greeter");

    const svc = record("late.arrival", "127.0.0.1:9", { version: "2.0.0" });
    await mesh.registry.register(svc);
    const added = await events.until((e) => e.event === "service" && e.data.includes("late.arrival"));
    expect(JSON.parse(added.data)).toEqual({
      name: "late.arrival",
      versions: ["2.0.0"],
      nodes: 1,
      healthy: 1,
    });

    await mesh.registry.deregister(svc);
    const gone = await events.until((e) => e.event === "service" && e.data.includes("late.arrival"));
    expect(JSON.parse(gone.data)).toEqual({ name: "late.arrival", removed: true });
    await events.cancel();
  });

  it("refuses streams past the cap with 503 and admits again once one closes", async () => {
    const a = await open();
    const b = await open();
    await a.next();
    await b.next();
    const refused = await fetch(`${mesh.url}/dashboard/events`);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { code: number }).code).toBe(503);
    await a.cancel();
    let again: Response | undefined;
    for (let i = 0; i < 50; i++) {
      again = await fetch(`${mesh.url}/dashboard/events`);
      if (again.status === 200) break;
      await again.body?.cancel();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(again!.status).toBe(200);
    await again!.body!.cancel();
    await b.cancel();
  });
});

describe("closing the gateway", () => {
  it("ends the open streams", async () => {
    const own = await startMesh();
    const res = await fetch(`${own.url}/dashboard/events`);
    const events = new SseReader(res);
    await events.next();
    const closing = own.close();
    await events.ended(3000);
    await closing;
  });
});
