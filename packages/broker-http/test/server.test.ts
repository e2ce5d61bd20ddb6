import { request } from "node:http";
import type { BrokerEvent } from "@micro/core";
import { silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeEnvelope } from "../src/envelope.js";
import { HttpBroker } from "../src/http-broker.js";
import { text, waitFor } from "./helpers.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  address: string,
  options: { method?: string; path?: string; body?: string | Buffer; chunked?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "Content-Type": "application/json" };
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body && !options.chunked) headers["Content-Length"] = body.length;
    const req = request(
      `http://${address}${options.path ?? "/"}`,
      { method: options.method ?? "POST", headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    // the server may cut an oversized upload short after answering
    req.on("error", (err) =>
      (err as NodeJS.ErrnoException).code === "ECONNRESET" || (err as NodeJS.ErrnoException).code === "EPIPE"
        ? undefined
        : reject(err),
    );
    if (body && options.chunked) {
      const half = Math.floor(body.length / 2);
      req.write(body.subarray(0, half));
      req.end(body.subarray(half));
    } else req.end(body);
  });
}

let broker: HttpBroker;
let events: BrokerEvent[];
let nodeId: string;

beforeEach(async () => {
  broker = new HttpBroker({ registry: new MemoryRegistry(), logger: silentLogger, maxBodySize: 64 * 1024 });
  await broker.connect();
  events = [];
  await broker.subscribe("events", (e) => void events.push(e));
  nodeId = `events-${broker.id}`;
});
afterEach(() => broker.disconnect());

const envelope = (topic = "events", body = "hi") =>
  encodeEnvelope({ header: { "Micro-Topic": topic, "Content-Type": "text/plain" }, body: text(body) });

async function stillServing(): Promise<void> {
  const before = events.length;
  const r = await send(broker.address(), { path: `/?id=${nodeId}`, body: envelope("events", "still here") });
  expect(r.status).toBe(200);
  expect(events.length).toBe(before + 1);
}

describe("subscriber endpoint", () => {
  it("answers a valid POST with an empty 200 after running the handler", async () => {
    const r = await send(broker.address(), { path: `/?id=${encodeURIComponent(nodeId)}`, body: envelope() });
    expect(r).toMatchObject({ status: 200, body: "" });
    expect(events).toHaveLength(1);
    expect(events[0]!.topic).toBe("events");
    expect(events[0]!.message.header).toEqual({ "Micro-Topic": "events", "Content-Type": "text/plain" });
    expect(new TextDecoder().decode(events[0]!.message.body)).toBe("hi");
  });

  it("answers 404 and delivers nothing for an unknown node id or a topic the node does not carry", async () => {
    // Go answers 200 here; its publishers ignore the status, ours count the message as dropped
    const notHere = (topic: string) =>
      `{"id":"go.micro.broker","code":404,"detail":"no subscription for ${topic} here","status":"Not Found"}`;
    expect(
      await send(broker.address(), { path: "/?id=events-someone-else", body: envelope() }),
    ).toMatchObject({
      status: 404,
      body: notHere("events"),
    });
    expect((await send(broker.address(), { path: "/", body: envelope() })).status).toBe(404);
    expect(await send(broker.address(), { path: `/?id=${nodeId}`, body: envelope("other") })).toMatchObject({
      status: 404,
      body: notHere("other"),
    });
    expect(events).toHaveLength(0);
  });

  it("answers 500 when the handler throws, without its error text", async () => {
    await broker.subscribe("boom", () => {
      throw new Error("handler failure (expected by the test)");
    });
    const r = await send(broker.address(), { path: `/?id=boom-${broker.id}`, body: envelope("boom") });
    expect(r).toMatchObject({
      status: 500,
      body: '{"id":"go.micro.broker","code":500,"detail":"subscriber of boom failed","status":"Internal Server Error"}',
    });
    await stillServing();
  });

  it("refuses other methods with 405 and go-micro's error body", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await send(broker.address(), { method, path: `/?id=${nodeId}` });
      expect(r.status).toBe(405);
      expect(r.body).toBe(
        '{"id":"go.micro.broker","code":400,"detail":"Method not allowed","status":"Bad Request"}\n',
      );
      expect(r.headers["content-type"]).toBe("text/plain; charset=utf-8");
    }
    await stillServing();
  });

  it("refuses malformed envelopes with 400 and a go-micro error", async () => {
    for (const body of [
      "{not json",
      "[]",
      '{"Header":{"Micro-Topic":"events"},"Body":"***"}',
      '{"Header":{"a":1}}',
    ]) {
      const r = await send(broker.address(), { path: `/?id=${nodeId}`, body });
      expect(r.status).toBe(400);
      const err = JSON.parse(r.body);
      expect(err).toMatchObject({ id: "go.micro.broker", code: 400, status: "Bad Request" });
      expect(err.detail).toMatch(/^Error parsing request body: /);
    }
    expect(events).toHaveLength(0);
    await stillServing();
  });

  it("answers 500 Topic not found when the envelope has no Micro-Topic", async () => {
    const body = encodeEnvelope({ header: { "Content-Type": "text/plain" }, body: text("x") });
    const r = await send(broker.address(), { path: `/?id=${nodeId}`, body });
    expect(r.status).toBe(500);
    expect(r.body).toBe(
      '{"id":"go.micro.broker","code":500,"detail":"Topic not found","status":"Internal Server Error"}',
    );
    await stillServing();
  });

  it("refuses bodies over the limit with 413, declared or streamed", async () => {
    const big = encodeEnvelope({ header: { "Micro-Topic": "events" }, body: new Uint8Array(100 * 1024) });
    for (const chunked of [false, true]) {
      const r = await send(broker.address(), { path: `/?id=${nodeId}`, body: big, chunked });
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ id: "go.micro.broker", code: 413 });
    }
    expect(events).toHaveLength(0);
    await stillServing();
  });

  it("accepts any path, as Go's `/` pattern does", async () => {
    const r = await send(broker.address(), { path: `/anything?id=${nodeId}`, body: envelope() });
    expect(r.status).toBe(200);
    await waitFor(() => events.length === 1);
  });
});
