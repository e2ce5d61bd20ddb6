import { silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { afterEach, describe, expect, it } from "vitest";
import { HttpBroker } from "../src/http-broker.js";
import { goQueryEscape } from "../src/sender.js";
import { type RawNode, rawNode, selfSignedCert, sleep, text, waitFor } from "./helpers.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function node(options: Parameters<typeof rawNode>[0] = {}): Promise<RawNode> {
  const n = await rawNode(options);
  cleanup.push(() => n.close());
  return n;
}

function publisher(
  registry: MemoryRegistry,
  extra: Partial<ConstructorParameters<typeof HttpBroker>[0]> = {},
) {
  const b = new HttpBroker({ registry, logger: silentLogger, ...extra });
  cleanup.push(() => b.disconnect());
  return b;
}

async function registerNode(
  registry: MemoryRegistry,
  n: RawNode,
  id: string,
  topic: string,
  version = "ff.http.broadcast",
  secure = false,
) {
  await registry.register({
    name: "micro.http.broker",
    version,
    endpoints: [],
    nodes: [{ id, address: n.address, metadata: { secure: String(secure), broker: "http", topic } }],
  });
}

describe("publisher", () => {
  it("POSTs the envelope to /?id=<node id> with Content-Type application/json, forcing Micro-Topic", async () => {
    const registry = new MemoryRegistry();
    const n = await node();
    await registerNode(registry, n, "events-0c5e1f2a-uuid", "events");
    const pub = publisher(registry);
    await pub.publish("events", {
      header: {
        "Micro-Topic": "something-else",
        "Micro-ID": "2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4",
        "Content-Type": "application/json",
      },
      body: text('{"say":"hello"}\n'),
    });
    // publish resolves once the POST was answered
    expect(n.requests).toHaveLength(1);
    const [r] = n.requests;
    expect(r!.method).toBe("POST");
    expect(r!.url).toBe("/?id=events-0c5e1f2a-uuid");
    expect(r!.headers["content-type"]).toBe("application/json");
    expect(r!.headers.host).toBe(n.address);
    expect(r!.headers.connection).toBe("keep-alive");
    expect(r!.body).toBe(
      '{"Header":{"Content-Type":"application/json","Micro-ID":"2b1f5e0c-9c53-4a7e-8d0a-77e1c1a2f6b4","Micro-Topic":"events"},"Body":"eyJzYXkiOiJoZWxsbyJ9Cg=="}',
    );
  });

  it("query-escapes node ids as Go's url.Values does", async () => {
    expect(goQueryEscape("a b/c?d&e=f+g!*'()~._-")).toBe("a+b%2Fc%3Fd%26e%3Df%2Bg%21%2A%27%28%29~._-");
    const registry = new MemoryRegistry();
    const n = await node();
    await registerNode(registry, n, "odd id/1", "odd");
    await publisher(registry).publish("odd", { header: {}, body: text("x") });
    expect(n.requests[0]!.url).toBe("/?id=odd+id%2F1");
  });

  it("skips nodes of other topics and of other brokers", async () => {
    const registry = new MemoryRegistry();
    const [mine, other, foreign] = [await node(), await node(), await node()];
    await registerNode(registry, mine, "a-1", "a");
    await registerNode(registry, other, "b-1", "b");
    await registry.register({
      name: "micro.http.broker",
      version: "ff.http.broadcast",
      endpoints: [],
      nodes: [{ id: "a-2", address: foreign.address, metadata: { broker: "nats", topic: "a" } }],
    });
    await publisher(registry).publish("a", { header: {}, body: text("x") });
    expect([mine.requests.length, other.requests.length, foreign.requests.length]).toEqual([1, 0, 0]);
  });

  it("sends to every broadcast node and to one node of each queue group", async () => {
    const registry = new MemoryRegistry();
    const fans = [await node(), await node()];
    const workers = [await node(), await node(), await node()];
    const auditors = [await node(), await node()];
    for (const [i, n] of fans.entries()) await registerNode(registry, n, `t-fan${i}`, "t");
    for (const [i, n] of workers.entries()) await registerNode(registry, n, `t-w${i}`, "t", "workers");
    for (const [i, n] of auditors.entries()) await registerNode(registry, n, `t-a${i}`, "t", "auditors");
    const pub = publisher(registry);
    const count = 60;
    for (let i = 0; i < count; i++) await pub.publish("t", { header: {}, body: text(String(i)) });
    for (const f of fans) expect(f.requests).toHaveLength(count);
    const sum = (ns: RawNode[]) => ns.reduce((s, n) => s + n.requests.length, 0);
    expect(sum(workers)).toBe(count);
    expect(sum(auditors)).toBe(count);
    // random choice: every worker gets some share of 60 messages
    for (const w of workers) expect(w.requests.length).toBeGreaterThan(0);
  });

  it("resolves when nobody subscribes", async () => {
    await publisher(new MemoryRegistry()).publish("nobody", { header: {}, body: text("x") });
  });

  it("sees a subscriber registered after the publisher first looked", async () => {
    const registry = new MemoryRegistry();
    const pub = publisher(registry);
    await pub.publish("late", { header: {}, body: text("lost") });
    const n = await node();
    await registerNode(registry, n, "late-1", "late");
    await sleep(5); // the registry watch reaches the cache
    await pub.publish("late", { header: {}, body: text("found") });
    expect(n.requests.map((r) => JSON.parse(r.body).Body)).toEqual([Buffer.from("found").toString("base64")]);
  });

  it("stops sending to a node once it is deregistered", async () => {
    const registry = new MemoryRegistry();
    const n = await node();
    await registerNode(registry, n, "gone-1", "gone");
    const pub = publisher(registry);
    await pub.publish("gone", { header: {}, body: text("1") });
    await registry.deregister({
      name: "micro.http.broker",
      version: "ff.http.broadcast",
      endpoints: [],
      nodes: [{ id: "gone-1", address: n.address, metadata: {} }],
    });
    await sleep(5);
    await pub.publish("gone", { header: {}, body: text("2") });
    expect(n.requests).toHaveLength(1);
  });

  it("retries a failing node in the background and delivers once it recovers", async () => {
    const registry = new MemoryRegistry();
    const n = await node();
    let refusals = 3;
    const original = n.server.listeners("request")[0] as (...a: unknown[]) => void;
    n.server.removeAllListeners("request");
    n.server.on("request", (req, res) => {
      if (refusals-- > 0) {
        req.socket.destroy();
        return;
      }
      original(req, res);
    });
    await registerNode(registry, n, "flaky-1", "flaky");
    const pub = publisher(registry);
    await pub.publish("flaky", { header: {}, body: text("eventually") });
    expect(n.requests).toHaveLength(0);
    await waitFor(() => n.requests.length === 1, 3000);
    await sleep(300);
    expect(n.requests).toHaveLength(1);
  });

  it("passes over a node that keeps failing, and picks another member of its queue group", async () => {
    const registry = new MemoryRegistry();
    const dead = await rawNode();
    await dead.close(); // its port now refuses connections
    const alive = await node();
    await registerNode(registry, dead, "q-dead", "q", "workers");
    await registerNode(registry, alive, "q-alive", "q", "workers");
    const pub = publisher(registry, { retries: 1 });
    // the dead member is chosen about half the time: three failures in a row and it is given up on
    for (let i = 0; i < 20; i++) await pub.publish("q", { header: {}, body: text(String(i)) });
    // every message reaches the live member, inline or by a retry
    await waitFor(() => alive.requests.length === 20, 3000);
    const before = alive.requests.length;
    await sleep(300); // background retries are over
    for (let i = 0; i < 10; i++) await pub.publish("q", { header: {}, body: text(`after ${i}`) });
    // no longer chosen: every later message is delivered inline
    expect(alive.requests.length - before).toBe(10);
  });

  it("rejects when the publish signal is aborted", async () => {
    const registry = new MemoryRegistry();
    const pub = publisher(registry);
    await expect(
      pub.publish("t", { header: {}, body: text("x") }, { signal: AbortSignal.abort() }),
    ).rejects.toThrow();
  });

  it("POSTs over https to nodes registered secure, skipping verification by default as go-micro does", async () => {
    const registry = new MemoryRegistry();
    const cert = selfSignedCert();
    const n = await node({ tls: cert });
    await registerNode(registry, n, "tls-1", "tls", "ff.http.broadcast", true);
    await publisher(registry).publish("tls", { header: {}, body: text("secret") });
    expect(n.requests).toHaveLength(1);
    expect(n.requests[0]!.url).toBe("/?id=tls-1");
  });
});
