// The transport-wide cap on request body bytes held: a body is reserved whole when its header
// arrives; over the cap it waits (its connection is not read: TCP pushes back on the sender) until
// an owner takes a message; nothing fails for it.
import { afterEach, describe, expect, it } from "vitest";
import { BodyBudget } from "../src/body-budget.js";
import { cleanup, listenHttp, rawConnect, sleep } from "./helpers.js";

afterEach(cleanup);

const MiB = 1024 * 1024;
const big = (n: number, fill: number) =>
  Buffer.concat([
    Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${n}\r\n\r\n`),
    Buffer.alloc(n, fill),
  ]);
const turn = () => new Promise((r) => setImmediate(r));

describe("BodyBudget", () => {
  it("admits what fits, queues the rest in order, and always admits one body when it is empty", async () => {
    const b = new BodyBudget(100);
    const granted: string[] = [];
    expect(b.take(60, () => granted.push("x"))).toBe(true);
    expect(b.take(50, () => granted.push("a"))).toBe(false);
    // first come, first served: a small one does not overtake the waiting one
    expect(b.take(10, () => granted.push("b"))).toBe(false);
    b.release(60);
    await turn();
    expect(granted).toEqual(["a", "b"]);
    expect(b.used).toBe(60);
    b.release(60);
    expect(b.take(500, () => {})).toBe(true); // larger than the cap, but nothing else is held
    expect(b.take(1, () => granted.push("c"))).toBe(false);
    b.release(500);
    await turn();
    expect(granted).toEqual(["a", "b", "c"]);
  });

  it("a withdrawn waiter lets the next one in", async () => {
    const b = new BodyBudget(100);
    b.take(100, () => {});
    const gone = () => {};
    b.take(100, gone);
    let next = false;
    b.take(50, () => {
      next = true;
    });
    b.release(50);
    b.cancel(gone);
    await turn();
    expect(next).toBe(true);
  });
});

describe("the cap on an HttpTransport", () => {
  it("holds bodies over the cap back until an owner takes one; every one arrives", async () => {
    const { transport, address, next } = await listenHttp({ maxMessageSize: MiB, maxBodyBytesInFlight: MiB });
    const peers = await Promise.all([1, 2, 3].map(() => rawConnect(address)));
    for (const [i, p] of peers.entries()) p.write(big(MiB, i));
    const servers = [await next(), await next(), await next()];
    await sleep(100);
    // one body read and held; the other two announced and waiting, their bytes not read
    expect(transport.bodyBytesInFlight).toBe(MiB);
    let max = 0;
    const bodies: number[] = [];
    for (const s of servers) {
      max = Math.max(max, transport.bodyBytesInFlight);
      const m = await s.recv();
      bodies.push(m.body.length, m.body[0]!, m.body[m.body.length - 1]!);
    }
    expect(max).toBeLessThanOrEqual(MiB);
    expect(bodies.filter((_, i) => i % 3 === 0)).toEqual([MiB, MiB, MiB]);
    expect(bodies.filter((_, i) => i % 3 !== 0).sort()).toEqual([0, 0, 1, 1, 2, 2]);
    expect(transport.bodyBytesInFlight).toBe(0);
  });

  it("bytes held are given back when a connection dies mid-body, while waiting, or is closed unread", async () => {
    const { transport, address, next } = await listenHttp({ maxMessageSize: MiB, maxBodyBytesInFlight: MiB });
    const holder = await rawConnect(address);
    holder.write(big(MiB, 1));
    const held = await next();
    const waiting = await rawConnect(address);
    waiting.write(big(MiB, 2));
    const late = await next();
    await sleep(50);
    expect(transport.bodyBytesInFlight).toBe(MiB);
    // a connection that is not read cannot see its peer go: its turn comes, and what the peer sent
    // before going is a whole message, held until its owner takes it
    waiting.socket.destroy();
    await held.close(); // never read: what it holds no longer counts
    await sleep(50);
    expect(transport.bodyBytesInFlight).toBe(MiB);
    expect((await late.recv()).body.length).toBe(MiB);
    expect(transport.bodyBytesInFlight).toBe(0);
    const cut = await rawConnect(address);
    cut.write(big(MiB, 3).subarray(0, 1000));
    await next();
    await sleep(50);
    expect(transport.bodyBytesInFlight).toBe(MiB);
    cut.socket.destroy();
    await sleep(50);
    expect(transport.bodyBytesInFlight).toBe(0);
  });

  it("0: no cap", async () => {
    const { transport } = await listenHttp({ maxBodyBytesInFlight: 0 });
    expect(transport.options.maxBodyBytesInFlight).toBe(0);
    expect(transport.bodyBytesInFlight).toBe(0);
  });

  it("never below maxMessageSize: one message of the largest size always fits", async () => {
    const { transport } = await listenHttp({ maxMessageSize: 4 * MiB, maxBodyBytesInFlight: MiB });
    expect(transport.options.maxBodyBytesInFlight).toBe(4 * MiB);
  });
});
