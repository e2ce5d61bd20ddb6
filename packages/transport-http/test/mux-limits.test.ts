// The limits of the HTTP path on the multiplexed one: a mux connection with no socket open for
// idleTimeout is told to go away (the client dials anew for its next call, nothing in flight is
// lost), a call in progress is never cut, and received bodies count against the transport's cap.
import { type Listener, type Socket, silentLogger } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport, type HttpTransportOptions } from "../src/index.js";
import { sleep, text, untext } from "./helpers.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close().catch(() => {});
});

/** A listener echoing each message after `Delay` ms; each socket is first read `wait` ms after it opens. */
async function server(options: HttpTransportOptions, wait = 0) {
  const t = new HttpTransport({ logger: silentLogger, ...options });
  const listener: Listener = await t.listen("127.0.0.1:0");
  open.push(listener);
  const served: Socket[] = [];
  listener.accept((s) => {
    served.push(s);
    void (async () => {
      await sleep(wait);
      for (;;) {
        const m = await s.recv().catch(() => undefined);
        if (!m) return;
        await sleep(Number(m.header.Delay ?? 0));
        await s.send({ header: {}, body: m.body }).catch(() => {});
      }
    })();
  });
  return { t, addr: listener.addr(), served };
}

async function call(client: HttpTransport, addr: string, body: Uint8Array, header = {}) {
  const s = await client.dialMux(addr);
  open.push(s);
  await s.send({ header, body });
  const m = await s.recv();
  await s.close();
  return m;
}

describe("multiplexed connections: limits", () => {
  it("idle for idleTimeout: GOAWAY, the client ends it; the next call opens a new one", async () => {
    const { addr, served } = await server({ idleTimeout: 200 });
    const client = new HttpTransport({ logger: silentLogger });
    open.push(client);
    expect(untext((await call(client, addr, text("one"))).body)).toBe("one");
    await sleep(500);
    expect(untext((await call(client, addr, text("two"))).body)).toBe("two");
    expect(served).toHaveLength(2);
    expect(served[0]!.remote).not.toBe(served[1]!.remote);
  });

  it("a call outlasting idleTimeout keeps its connection", async () => {
    const { addr, served } = await server({ idleTimeout: 150 });
    const client = new HttpTransport({ logger: silentLogger });
    open.push(client);
    const [slow, after] = await Promise.all([
      call(client, addr, text("slow"), { Delay: "500" }),
      sleep(300).then(() => call(client, addr, text("meanwhile"))),
    ]);
    expect([untext(slow.body), untext(after.body)]).toEqual(["slow", "meanwhile"]);
    expect(new Set(served.map((s) => s.remote)).size).toBe(1);
  });

  it("received bodies count against maxBodyBytesInFlight; over it the connection waits, nothing fails", async () => {
    const MiB = 1024 * 1024;
    // the sockets are not read for a while: delivered bodies are held, the rest wait unread
    const { t, addr } = await server({ maxMessageSize: MiB, maxBodyBytesInFlight: MiB }, 100);
    const client = new HttpTransport({ logger: silentLogger });
    open.push(client);
    let held = 0;
    const sample = setInterval(() => {
      held = Math.max(held, t.bodyBytesInFlight);
    }, 2);
    const bodies = [1, 2, 3, 4, 5, 6].map((n) => new Uint8Array(MiB).fill(n));
    const replies = await Promise.all(bodies.map((b) => call(client, addr, b)));
    clearInterval(sample);
    expect(replies.map((m) => [m.body.length, m.body[0], m.body[MiB - 1]])).toEqual(
      bodies.map((b) => [MiB, b[0], b[0]]),
    );
    // a frame is reserved whole before it is read (its header too); small frames count once read
    expect(held).toBeGreaterThan(MiB / 2);
    expect(held).toBeLessThanOrEqual(MiB + 64 * 1024);
    expect(t.bodyBytesInFlight).toBe(0);
  });

  it("a large frame is filled in place, not by joining every read to the last (32 MiB: 12.7 s before)", async () => {
    const size = 32 * 1024 * 1024;
    const { addr } = await server({ maxMessageSize: size });
    const client = new HttpTransport({ logger: silentLogger, maxMessageSize: size });
    open.push(client);
    const body = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4096) body[i] = (i / 4096) & 0xff;
    const started = Date.now();
    const m = await call(client, addr, body);
    // a round trip: the server reads the frame, the client the reply (~0.6 s here)
    expect(Date.now() - started).toBeLessThan(4000);
    expect(Buffer.compare(Buffer.from(m.body), Buffer.from(body))).toBe(0);
  });
});
