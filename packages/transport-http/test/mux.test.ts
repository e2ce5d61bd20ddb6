// The multiplexed path itself: many sockets on one connection, replies out of order, a dying peer,
// 10 000 concurrent calls, per-socket flow control, and HTTP clients on the same port unaffected.
import { isMicroError, type Listener, type Socket, silentLogger } from "@micro/core";
import { isUnprocessed } from "@micro/core/plugin-kit";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport } from "../src/index.js";

const text = (s: string) => new TextEncoder().encode(s);
const untext = (b: Uint8Array) => new TextDecoder().decode(b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close().catch(() => {});
});

/** A listener answering each message after `Delay` ms with its body; `served` gets every socket. */
async function server(t = new HttpTransport({ logger: silentLogger })) {
  const listener: Listener = await t.listen("127.0.0.1:0");
  open.push(listener);
  const served: Socket[] = [];
  listener.accept((s) => {
    served.push(s);
    void (async () => {
      for (;;) {
        const m = await s.recv().catch(() => undefined);
        if (!m) return;
        const delay = Number(m.header.Delay ?? 0);
        if (delay > 0) await sleep(delay);
        await s.send({ header: { Seen: m.header["Micro-Id"] ?? "" }, body: m.body }).catch(() => {});
      }
    })();
  });
  return { t, addr: listener.addr(), served, listener };
}

describe("http transport: multiplexed sockets", () => {
  it("carries many sockets on one connection; a slow call does not hold the fast ones back", async () => {
    const { t, addr, served } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const order: string[] = [];
    const call = async (name: string, delay: number) => {
      const s = await client.dialMux(addr);
      open.push(s);
      await s.send({ header: { Delay: String(delay), "micro-id": name }, body: text(name) });
      const m = await s.recv();
      order.push(untext(m.body));
      expect(m.header.Seen).toBe(name); // keys canonical, as over HTTP
    };
    await Promise.all([call("slow", 300), ...Array.from({ length: 10 }, (_, i) => call(`fast${i}`, 0))]);
    expect(order.at(-1)).toBe("slow");
    expect(new Set(served.map((s) => s.remote)).size).toBe(1);
    void t;
  });

  it("cancelling a socket ends it on the server and leaves the others", async () => {
    const { addr, served } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const a = await client.dialMux(addr);
    const b = await client.dialMux(addr);
    open.push(a, b);
    await a.send({ header: { Delay: "5000" }, body: text("a") });
    await b.send({ header: {}, body: text("b") });
    expect(untext((await b.recv()).body)).toBe("b");
    await a.close();
    await expect(a.recv()).rejects.toMatchObject({ detail: "EOF" });
    // the server side of `a` sees EOF on its next read
    await sleep(50);
    expect(served.length).toBe(2);
    await b.send({ header: {}, body: text("b2") });
    expect(untext((await b.recv()).body)).toBe("b2");
  });

  it("a peer dying mid-call fails the calls in flight at once; the next dial reconnects", async () => {
    const { addr, served } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const inflight = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const s = await client.dialMux(addr);
        open.push(s);
        await s.send({ header: { Delay: "10000" }, body: text("x") });
        return s;
      }),
    );
    await sleep(50);
    const started = Date.now();
    // kill the TCP connection under every socket (what a crashing server looks like)
    (served[0] as unknown as { host: { destroy(): void } }).host.destroy();
    for (const s of inflight) {
      const err = await s.recv().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMicroError(err) && err.detail).toBe("EOF");
    }
    expect(Date.now() - started).toBeLessThan(1000);
    const again = await client.dialMux(addr);
    open.push(again);
    await again.send({ header: {}, body: text("again") });
    expect(untext((await again.recv()).body)).toBe("again");
  });

  it("10 000 concurrent calls on one connection", async () => {
    const { addr, served } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const n = 10_000;
    const got = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const s = await client.dialMux(addr);
        await s.send({ header: { "Micro-Id": String(i) }, body: text(`m${i}`) });
        const m = await s.recv();
        await s.close();
        return untext(m.body) === `m${i}` && m.header.Seen === String(i);
      }),
    );
    expect(got.every(Boolean)).toBe(true);
    expect(new Set(served.map((s) => s.remote)).size).toBe(1);
  }, 30_000);

  it("flow control: a reader that does not read stops its sender (and only it); large bodies arrive intact", async () => {
    const t = new HttpTransport({ logger: silentLogger });
    const listener = await t.listen("127.0.0.1:0");
    open.push(listener);
    const sockets: Socket[] = [];
    listener.accept((s) => sockets.push(s));
    const client = new HttpTransport({ logger: silentLogger });
    const slow = await client.dialMux(listener.addr());
    open.push(slow);
    const big = new Uint8Array(1024 * 1024).map((_, i) => i & 0xff);
    let sent = 0;
    const sending = (async () => {
      for (let i = 0; i < 24; i++) {
        await slow.send({ header: { N: String(i) }, body: big });
        sent++;
      }
    })();
    await sleep(300);
    // the window is 4 MiB: the sender is held well before all 24 MiB went out
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(10);
    // another socket on the same connection is not blocked
    const other = await client.dialMux(listener.addr());
    open.push(other);
    await other.send({ header: {}, body: text("hi") });
    await sleep(50);
    const otherServer = sockets[1]!;
    expect(untext((await otherServer.recv()).body)).toBe("hi");
    for (let i = 0; i < 24; i++) {
      const m = await sockets[0]!.recv();
      expect(m.header.N).toBe(String(i));
      expect(Buffer.from(m.body).equals(Buffer.from(big))).toBe(true);
    }
    await sending;
    expect(sent).toBe(24);
  }, 20_000);

  it("the transport read deadline times out one socket only", async () => {
    const { addr } = await server();
    const client = new HttpTransport({ logger: silentLogger, timeout: 100 });
    const a = await client.dialMux(addr);
    const b = await client.dialMux(addr);
    open.push(a, b);
    await a.send({ header: { Delay: "1000" }, body: text("a") });
    await expect(a.recv()).rejects.toMatchObject({ code: 408 });
    await b.send({ header: {}, body: text("b") });
    expect(untext((await b.recv()).body)).toBe("b");
  });

  it("HTTP clients on the same port see plain go-micro framing", async () => {
    const { addr, served } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const mux = await client.dialMux(addr);
    const plain = await client.dial(addr);
    open.push(mux, plain);
    await mux.send({ header: {}, body: text("m") });
    await plain.send({ header: {}, body: text("p") });
    expect(untext((await mux.recv()).body)).toBe("m");
    expect(untext((await plain.recv()).body)).toBe("p");
    expect(served.length).toBe(2);
  });
});

describe("http transport: multiplexed path under stress and abuse", () => {
  it("connections: N spreads sockets over N connections in turn (one per worker of the node)", async () => {
    const { addr, served } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const sockets = await Promise.all(
      Array.from({ length: 6 }, () => client.dialMux(addr, { connections: 3 })),
    );
    open.push(...sockets);
    await Promise.all(sockets.map((s) => s.send({ header: {}, body: text("x") })));
    await Promise.all(sockets.map((s) => s.recv()));
    const remotes = served.map((s) => s.remote);
    expect(new Set(remotes).size).toBe(3);
    for (const r of new Set(remotes)) expect(remotes.filter((x) => x === r).length).toBe(2);
  });

  it("a read of many frames, handled in two halves, keeps every socket's order", async () => {
    const { addr } = await server();
    const client = new HttpTransport({ logger: silentLogger });
    const sockets = await Promise.all(Array.from({ length: 64 }, () => client.dialMux(addr)));
    open.push(...sockets);
    // all queued in one turn: one write, so the server reads them together
    const sends = sockets.flatMap((s, i) =>
      [0, 1, 2].map((k) => s.send({ header: {}, body: text(`${i}.${k}`) })),
    );
    await Promise.all(sends);
    const got = await Promise.all(
      sockets.map(async (s) => [
        untext((await s.recv()).body),
        untext((await s.recv()).body),
        untext((await s.recv()).body),
      ]),
    );
    expect(got).toEqual(got.map((_, i) => [`${i}.0`, `${i}.1`, `${i}.2`]));
  });

  it("replies written just before the server closes the connection are still delivered", async () => {
    const raw = await import("node:net");
    const { FrameBatch, DATA, PREFACE } = await import("../src/mux-frame.js");
    const { HeaderTableEncoder } = await import("../src/mux-header.js");
    // a fake server: reads the preface and 40 requests, answers them all in one write and closes
    const srv = raw.createServer((c) => {
      let seen = Buffer.alloc(0);
      c.on("data", (d: Buffer) => {
        seen = Buffer.concat([seen, d]);
        if (seen.length < PREFACE.length + 40 * 13) return;
        const batch = new FrameBatch();
        const enc = new HeaderTableEncoder();
        for (let id = 1; id <= 40; id++)
          batch.add(DATA, id, 0, enc.encode({ N: String(id) }), text(`r${id}`));
        c.end(Buffer.concat(batch.take()));
      });
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    open.push({ close: () => new Promise<void>((r) => srv.close(() => r())) });
    const { port } = srv.address() as { port: number };
    const client = new HttpTransport({ logger: silentLogger });
    const sockets = await Promise.all(Array.from({ length: 40 }, () => client.dialMux(`127.0.0.1:${port}`)));
    open.push(...sockets);
    await Promise.all(sockets.map((s) => s.send({ header: {}, body: new Uint8Array(0) })));
    const replies = await Promise.all(sockets.map((s) => s.recv()));
    expect(replies.map((m) => untext(m.body))).toEqual(sockets.map((_, i) => `r${i + 1}`));
    expect(replies[39]!.header).toEqual({ N: "40" });
  });

  it("bytes that are not the protocol close that connection only; the listener serves on", async () => {
    const { addr } = await server();
    const net = await import("node:net");
    const { PREFACE } = await import("../src/mux-frame.js");
    const garbage = [
      Buffer.concat([PREFACE, Buffer.from([0, 0, 0, 1, 1])]), // a frame shorter than its prefix
      Buffer.concat([PREFACE, Buffer.from([0xff, 0xff, 0xff, 0xff])]), // a frame over the size limit
      Buffer.concat([PREFACE, Buffer.from([0, 0, 0, 9, 77, 0, 0, 0, 1, 0, 0, 0, 0])]), // unknown type
      Buffer.concat([PREFACE, Buffer.from([0, 0, 0, 12, 1, 0, 0, 0, 1, 0, 0, 0, 3, 3, 0, 9])]), // no such key
    ];
    for (const bytes of garbage) {
      const [host, port] = addr.split(":");
      const c = net.connect(Number(port), host);
      c.on("error", () => {});
      c.write(bytes);
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`not closed: ${bytes.toString("hex")}`)), 3000);
        c.on("close", () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const client = new HttpTransport({ logger: silentLogger });
    const s = await client.dialMux(addr);
    open.push(s);
    await s.send({ header: {}, body: text("still here") });
    expect(untext((await s.recv()).body)).toBe("still here");
  });

  it("a request the server closed its socket on without reading is reported as never processed", async () => {
    const t = new HttpTransport({ logger: silentLogger });
    const listener = await t.listen("127.0.0.1:0");
    open.push(listener);
    // reads one request, answers it, closes: the second request on the socket is never read
    listener.accept(async (s) => {
      const m = await s.recv();
      await s.send({ header: {}, body: m.body });
      await s.close();
    });
    const client = new HttpTransport({ logger: silentLogger });
    const s = await client.dialMux(listener.addr());
    open.push(s);
    await s.send({ header: {}, body: text("one") });
    await s.send({ header: {}, body: text("two") });
    expect(untext((await s.recv()).body)).toBe("one");
    const err = await s.recv().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isMicroError(err)).toBe(true);
    expect(isUnprocessed(err)).toBe(true);
    // a socket closed after everything it sent was read is a plain EOF
    const s2 = await client.dialMux(listener.addr());
    open.push(s2);
    await s2.send({ header: {}, body: text("three") });
    expect(untext((await s2.recv()).body)).toBe("three");
    const eof = await s2.recv().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUnprocessed(eof)).toBe(false);
  });
});
