// Streams over WebSocket against real TS services: server stream, bidi, client stream with the
// empty-frame half-close, errors as close frames, and the limits that bound floods.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { parseCloseReason } from "../src/stream/close-codes.js";
import { type Mesh, startMesh } from "./support/mesh.js";

interface Session {
  messages: unknown[];
  closed: Promise<{ code: number; reason: string }>;
  ws: WebSocket;
}

function open(url: string, headers?: Record<string, string>): Promise<Session> {
  const ws = new WebSocket(url, { headers });
  const messages: unknown[] = [];
  ws.on("message", (d) => messages.push(JSON.parse(d.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ messages, closed, ws }));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

describe("WebSocket streams", () => {
  let m: Mesh;
  let ws: string;
  beforeAll(async () => {
    m = await startMesh({ maxBodyBytes: 16 * 1024, maxWebSockets: 4 });
    ws = m.url.replace("http", "ws");
  });
  afterAll(() => m.close());

  it("server stream: the first message is the request, then every reply, then close 1000", async () => {
    const s = await open(`${ws}/api/test/Test.Count`);
    s.ws.send(JSON.stringify({ to: 5 }));
    const c = await s.closed;
    expect(c.code).toBe(1000);
    expect(s.messages).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
  });

  it("bidi: each message answered; the empty frame half-closes and the stream ends cleanly", async () => {
    const s = await open(`${ws}/api/test/Test.Upper`);
    for (const say of ["a", "b", "c"]) s.ws.send(JSON.stringify({ say }));
    s.ws.send("");
    const c = await s.closed;
    expect(c.code).toBe(1000);
    expect(s.messages).toEqual([{ said: "A" }, { said: "B" }, { said: "C" }]);
  });

  it("client stream: messages in, half-close, one answer", async () => {
    const s = await open(`${ws}/api/test/Test.Sum`);
    for (const n of [1, 2, 3, 4]) s.ws.send(JSON.stringify({ n }));
    s.ws.send("");
    const c = await s.closed;
    expect(c.code).toBe(1000);
    expect(s.messages).toEqual([{ total: 10 }]);
  });

  it("an unknown service closes with 4404 and the micro error", async () => {
    const s = await open(`${ws}/api/nosuch/X.Y`);
    s.ws.send("{}");
    const c = await s.closed;
    expect(c.code).toBe(4404);
    expect(parseCloseReason(c.reason)).toMatchObject({ code: 404 });
  });

  it("bad JSON closes with 4400", async () => {
    const s = await open(`${ws}/api/test/Test.Upper`);
    s.ws.send("{not json");
    const c = await s.closed;
    expect(c.code).toBe(4400);
  });

  it("a message over the size limit closes the socket (1009), the gateway lives on", async () => {
    const s = await open(`${ws}/api/test/Test.Upper`);
    s.ws.send(JSON.stringify({ say: "x".repeat(20 * 1024) }));
    const c = await s.closed;
    expect(c.code).toBe(1009);
    expect((await fetch(`${m.url}/health`)).status).toBe(200);
  });

  it("a flood of messages is answered in order without unbounded buffering", async () => {
    const s = await open(`${ws}/api/test/Test.Upper`);
    const n = 2000;
    for (let i = 0; i < n; i++) s.ws.send(JSON.stringify({ say: `m${i}` }));
    s.ws.send("");
    await s.closed;
    expect(s.messages.length).toBe(n);
    expect(s.messages[n - 1]).toEqual({ said: `M${n - 1}` });
  });

  it("more sockets than maxWebSockets → 503 for the extra one", async () => {
    const held = await Promise.all([0, 1, 2, 3].map(() => open(`${ws}/api/test/Test.Upper`)));
    await expect(open(`${ws}/api/test/Test.Upper`)).rejects.toThrow("HTTP 503");
    for (const h of held) h.ws.close();
    await Promise.all(held.map((h) => h.closed));
  });
});
