// A socket's receive queue: order, the peer's end (buffered messages first, then EOF), failures,
// our own close (at once, buffered messages dropped), several waiting recv() calls, and the
// callback form the RPC client uses.
import type { TransportMessage } from "@micro/core";
import { MicroError } from "@micro/core";
import { describe, expect, it } from "vitest";
import { Inbound } from "../src/inbound.js";

const msg = (n: number): TransportMessage => ({ header: { n: String(n) }, body: new Uint8Array([n]) });
const eof = { code: 500, detail: "EOF", id: "test.id" };

describe("inbound queue", () => {
  it("hands messages out in order, to waiting and to later recv() calls", async () => {
    const q = new Inbound("test.id");
    const waiting = [q.next(), q.next()];
    q.push(msg(1));
    q.push(msg(2));
    q.push(msg(3));
    expect(await Promise.all(waiting)).toEqual([msg(1), msg(2)]);
    expect(await q.next()).toEqual(msg(3));
  });

  it("delivers what arrived before the peer's end, then rejects with EOF", async () => {
    const q = new Inbound("test.id");
    q.push(msg(1));
    q.end();
    q.push(msg(2)); // after the end: dropped
    expect(await q.next()).toEqual(msg(1));
    await expect(q.next()).rejects.toMatchObject(eof);
    await expect(q.next()).rejects.toMatchObject(eof);
  });

  it("rejects waiting recv() calls at the end, and with a failure after the buffer", async () => {
    const q = new Inbound("test.id");
    const waiting = q.next();
    q.end();
    await expect(waiting).rejects.toMatchObject(eof);

    const f = new Inbound("test.id");
    f.push(msg(1));
    const failure = MicroError.timeout("test.id", "deadline exceeded");
    f.fail(failure);
    expect(await f.next()).toEqual(msg(1));
    await expect(f.next()).rejects.toBe(failure);
  });

  it("on our close drops the buffer and rejects pending and later recv() with EOF", async () => {
    const q = new Inbound("test.id");
    const a = q.next();
    const b = q.next();
    q.abort();
    await expect(a).rejects.toMatchObject(eof);
    await expect(b).rejects.toMatchObject(eof);

    const buffered = new Inbound("test.id");
    buffered.push(msg(1));
    buffered.fail(MicroError.timeout("test.id", "deadline exceeded"));
    buffered.abort();
    await expect(buffered.next()).rejects.toMatchObject(eof);
  });

  it("calls back at once with a buffered message, later with one that arrives, or with the end", () => {
    const q = new Inbound("test.id");
    const got: unknown[] = [];
    q.push(msg(1));
    q.nextInto(
      (m) => got.push(m),
      (e) => got.push(e),
    );
    expect(got).toEqual([msg(1)]);
    q.nextInto(
      (m) => got.push(m),
      (e) => got.push(e),
    );
    expect(got).toHaveLength(1);
    q.push(msg(2));
    expect(got).toEqual([msg(1), msg(2)]);
    q.nextInto(
      (m) => got.push(m),
      (e) => got.push(e),
    );
    q.end();
    expect(got[2]).toMatchObject(eof);
  });
});
