// brokerRoutes(): the sidecar's publish and subscribe routes on a plain gateway (the dashboard's
// topics page uses them), their subscribers ended when the gateway closes.
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { brokerRoutes } from "../src/index.js";
import { type Mesh, startMesh } from "./support/mesh.js";

let mesh: Mesh;

beforeAll(async () => {
  mesh = await startMesh({ routes: brokerRoutes({ prefixes: ["/broker/", "/micro/broker/"] }) });
});

afterAll(async () => {
  await mesh?.close();
});

describe("brokerRoutes on a gateway", () => {
  it("publishes and delivers to a WebSocket subscriber, with the envelope", async () => {
    const ws = new WebSocket(`${mesh.url.replace("http", "ws")}/broker/plain.topic?envelope=1`);
    await once(ws, "open");
    const got = once(ws, "message");
    const res = await fetch(`${mesh.url}/micro/broker/plain.topic`, { method: "POST", body: '{"n":1}' });
    expect(await res.json()).toEqual({ status: "ok", topic: "plain.topic" });
    const [data] = await got;
    const env = JSON.parse(String(data)) as { topic: string; body: unknown; header: Record<string, string> };
    expect(env.topic).toBe("plain.topic");
    expect(env.body).toEqual({ n: 1 });
    expect(env.header["Micro-Topic"]).toBe("plain.topic");
    ws.close();
    await once(ws, "close");
  });

  it("refuses a prefix that is not /.../", () => {
    expect(() => brokerRoutes({ prefixes: ["broker"] })).toThrow(/must be/);
  });

  it("ends its subscribers when the gateway closes", async () => {
    const own = await startMesh({ routes: brokerRoutes() });
    const ws = new WebSocket(`${own.url.replace("http", "ws")}/broker/closing.topic`);
    await once(ws, "open");
    const closed = once(ws, "close");
    await own.close();
    const [code] = await closed;
    expect(code).toBe(1001);
  });
});
