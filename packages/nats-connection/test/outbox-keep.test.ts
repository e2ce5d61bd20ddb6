// The outbox's keeping, on a stand-in client: what is published while the client is not connected
// stays in the outbox (the client would drop it when it dials again) and goes, in order, once it is
// connected; a full buffer refuses with a 503; with confirm, what was handed over stays until a
// PONG confirms it and goes again on the next socket; a closed connection reports what never went.
import { isMicroError } from "@micro/core";
import { describe, expect, it } from "vitest";
import { Outbox } from "../src/index.js";
import { bytes, sleep, standInClient } from "./stand-in.js";

// the waits below: the confirm delay is 10 ms, a status event takes a turn

describe("outbox keeping while disconnected (Go's reconnect buffer)", () => {
  it("holds what is published while disconnected and hands it over in order once reconnected", async () => {
    const c = standInClient();
    const resumed: [number, number][] = [];
    const outbox = new Outbox(c.nc, { onResume: (n, again) => void resumed.push([n, again]) });
    outbox.push("s", bytes("0"));
    c.disconnect();
    outbox.push("s", bytes("1"));
    outbox.push("s", bytes("2"));
    expect(c.published).toEqual(["0"]);
    expect(outbox.pending).toBe(2);
    c.reconnect(); // nothing else is published: the "reconnect" status hands them over
    await sleep(5);
    expect(c.published).toEqual(["0", "1", "2"]);
    expect(outbox.pending).toBe(0);
    expect(resumed).toEqual([[2, 0]]);
  });

  it("hands kept messages over before a new one when the new one notices the reconnect first", () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc);
    c.disconnect();
    outbox.push("s", bytes("a"));
    c.reconnect();
    outbox.push("s", bytes("b"));
    expect(c.published).toEqual(["a", "b"]);
  });

  it("refuses with a 503 MicroError once the kept bytes would exceed the limit", () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc, {
      reconnectBufferSize: 25,
      errorId: "go.micro.broker",
      what: "nats broker",
    });
    c.disconnect();
    outbox.push("s", bytes("0123456789")); // 11 bytes with the subject
    outbox.push("s", bytes("0123456789"));
    let err: unknown;
    try {
      outbox.push("s", bytes("0123456789"));
    } catch (e) {
      err = e;
    }
    expect(isMicroError(err) && [err.id, err.code]).toEqual(["go.micro.broker", 503]);
    expect((err as Error).message).toMatch(
      /^nats broker: not connected to nats and the reconnect buffer is full/,
    );
    expect(outbox.pendingBytes).toBe(22);
  });

  it("keeps nothing with a limit of 0: everything goes to the client at once, as before", () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc, { reconnectBufferSize: 0 });
    c.disconnect();
    outbox.push("s", bytes("x"));
    expect(c.published).toEqual(["x"]);
    expect(outbox.pending).toBe(0);
  });

  it("reports what never went when the connection closes for good", async () => {
    const c = standInClient();
    const lost: number[] = [];
    const outbox = new Outbox(c.nc, { onLost: (n) => void lost.push(n) });
    c.disconnect();
    outbox.push("s", bytes("1"));
    outbox.push("s", bytes("2"));
    c.close();
    await sleep(1);
    expect(lost).toEqual([2]);
    expect(outbox.pending).toBe(0);
  });
});

describe("outbox confirming (at-least-once)", () => {
  it("keeps what it handed over until a PONG confirms it, one round trip at a time", async () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc, { confirm: true });
    outbox.push("s", bytes("1"));
    outbox.push("s", bytes("2"));
    expect(outbox.pending).toBe(2);
    await sleep(20);
    expect(c.pings()).toBe(1);
    await sleep(5); // a new turn: goes to the client at once
    outbox.push("s", bytes("3"));
    await sleep(20);
    expect(c.pings()).toBe(1); // the next waits for this one
    c.pong();
    await sleep(1);
    expect(outbox.pending).toBe(1); // "3" went after the PING
    await sleep(20);
    expect(c.pings()).toBe(1);
    c.pong();
    await sleep(1);
    expect(outbox.pending).toBe(0);
    expect(c.published).toEqual(["1", "2", "3"]);
  });

  it("sends again, on the next socket, what the dead one did not confirm, then what was held", async () => {
    const c = standInClient();
    const resumed: [number, number][] = [];
    const outbox = new Outbox(c.nc, { confirm: true, onResume: (n, again) => void resumed.push([n, again]) });
    outbox.push("s", bytes("1"));
    await sleep(20);
    c.pong(); // "1" confirmed
    await sleep(1);
    await sleep(5);
    outbox.push("s", bytes("2")); // handed to a socket that is dying
    c.disconnect();
    outbox.push("s", bytes("3")); // held
    c.reconnect();
    await sleep(5);
    expect(c.published).toEqual(["1", "2", "2", "3"]);
    expect(resumed).toEqual([[2, 1]]);
    await sleep(20);
    c.pong();
    await sleep(1);
    expect(outbox.pending).toBe(0);
  });

  it("a PONG of the old socket confirms nothing handed over on the new one", async () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc, { confirm: true });
    outbox.push("s", bytes("1"));
    await sleep(20);
    expect(c.pings()).toBe(1);
    c.disconnect();
    c.reconnect(); // rejects the PING under way
    await sleep(5);
    expect(c.published).toEqual(["1", "1"]);
    expect(outbox.pending).toBe(1);
    await sleep(20);
    c.pong();
    await sleep(1);
    expect(outbox.pending).toBe(0);
  });

  it("with linger, keeps a confirmed message that long and sends it again after a reconnect meanwhile", async () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc, { confirm: true, linger: 60 });
    outbox.push("s", bytes("1"));
    await sleep(20);
    c.pong();
    await sleep(1);
    expect(outbox.pending).toBe(1); // confirmed, lingering
    expect(c.pings()).toBe(0); // and nothing more to confirm
    c.disconnect();
    c.reconnect();
    await sleep(5);
    expect(c.published).toEqual(["1", "1"]);
    await sleep(20);
    c.pong();
    await sleep(80);
    expect(outbox.pending).toBe(0); // released once the linger is over
  });

  it("while connected, forgets the oldest sent messages beyond the limit instead of refusing", async () => {
    const c = standInClient();
    const outbox = new Outbox(c.nc, { confirm: true, reconnectBufferSize: 25 });
    for (let i = 0; i < 5; i++) outbox.push("s", bytes(`message${i}`)); // 9 bytes each with the subject
    expect(c.published).toHaveLength(5);
    expect(outbox.pending).toBe(2);
    expect(outbox.pendingBytes).toBe(18);
  });
});
