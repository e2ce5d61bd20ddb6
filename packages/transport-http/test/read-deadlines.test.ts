// Read deadlines of accepted connections, after Go's http.Server (go-micro sets ReadHeaderTimeout):
// a header block must be complete within readHeaderTimeout of its first byte, a silent new connection
// is closed after it, and a connection with nothing owed is closed after idleTimeout. A wait that is
// ours (a reply owed, a stream open) is never timed. Small values here; the defaults are 10 s / 5 min.
import { type Socket, silentLogger } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport } from "../src/index.js";
import {
  answerEach,
  cleanup,
  gotReply,
  listenHttp,
  onCleanup,
  rawConnect,
  rejection,
  sleep,
  text,
  untext,
} from "./helpers.js";

afterEach(cleanup);

const limits = { readHeaderTimeout: 200, idleTimeout: 400 };
const req = (body: string, extra = "") =>
  `POST / HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

describe("read deadlines", () => {
  it("a connection that never sends a byte is closed after readHeaderTimeout, quietly", async () => {
    const { address } = await listenHttp(limits);
    const raw = await rawConnect(address);
    const started = Date.now();
    await raw.closed(2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(raw.received.length).toBe(0);
  });

  it("a header block not complete within readHeaderTimeout: 408, go-micro error, closed", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nHost: x\r\n");
    const err = await rejection((await next()).recv());
    expect(err).toMatchObject({
      id: "go.micro.transport",
      code: 408,
      detail: "i/o timeout: request header not complete after 200 ms",
    });
    await raw.closed();
    expect(raw.received.toString("latin1")).toMatch(
      /^HTTP\/1\.1 408 Request Timeout\r\nConnection: close\r\n/,
    );
  });

  it("a header dribbled in a byte at a time is cut off too (slowloris): the clock runs from its first byte", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    const started = Date.now();
    const dribble = (async () => {
      for (const b of Buffer.from(`POST / HTTP/1.1\r\nX-Long: ${"a".repeat(200)}\r\n\r\n`)) {
        if (raw.ended) return;
        raw.write(Buffer.from([b]));
        await sleep(20);
      }
    })();
    expect(await rejection((await next()).recv())).toMatchObject({ code: 408 });
    await raw.closed();
    expect(Date.now() - started).toBeLessThan(1000);
    await dribble;
  });

  it("idle after every request is answered: closed quietly after idleTimeout; the owner sees EOF", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    raw.write(req("a"));
    const served = answerEach(await next());
    await raw.take(gotReply(1).length);
    const answered = Date.now();
    await raw.closed(2000);
    expect(Date.now() - answered).toBeGreaterThanOrEqual(380);
    expect(raw.received.length).toBe(0);
    expect(await served).toMatchObject({ code: 500, detail: "EOF" });
  });

  it("each new request restarts the idle clock", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    raw.write(req("a"));
    void answerEach(await next());
    for (let i = 0; i < 4; i++) {
      await raw.take(gotReply(1).length);
      await sleep(250);
      raw.write(req("b"));
    }
    await raw.take(gotReply(1).length);
    expect(raw.ended).toBe(false);
  });

  it("never while a reply is owed: a slow handler keeps its connection", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    raw.write(req("a"));
    void answerEach(await next(), 900);
    expect(await raw.take(gotReply(1).length, 2000)).toBe(gotReply(1));
    expect(raw.ended).toBe(false);
  });

  it("never on a connection carrying a stream: its owner ends it", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    raw.write(req("s", "Micro-Stream: 1\r\n"));
    const server = await next();
    await server.recv();
    await server.send({ header: {}, body: text("first") });
    await sleep(900);
    expect(raw.ended).toBe(false);
    raw.write(req("t", "Micro-Stream: 1\r\n"));
    expect(untext((await server.recv()).body)).toBe("t");
  });

  it("a body that stops arriving: 408 after idleTimeout of silence", async () => {
    const { address, next } = await listenHttp(limits);
    const raw = await rawConnect(address);
    raw.write(`${req("").replace("Content-Length: 0", "Content-Length: 10")}abc`);
    const started = Date.now();
    const err = await rejection((await next()).recv());
    expect(err).toMatchObject({ code: 408, detail: "i/o timeout: no request body bytes for 400 ms" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    await raw.closed();
  });

  it("0 turns both off", async () => {
    const { address, next } = await listenHttp({ readHeaderTimeout: 0, idleTimeout: 0 });
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\n");
    await sleep(500);
    expect(raw.ended).toBe(false);
    raw.write("Content-Length: 0\r\n\r\n");
    void answerEach(await next());
    await raw.take(gotReply(0).length);
    await sleep(500);
    expect(raw.ended).toBe(false);
  });

  it("TLS: a handshake that never comes is cut off at readHeaderTimeout", async () => {
    const { selfSignedCert } = await import("./helpers.js");
    const { address } = await listenHttp({ ...limits, tls: selfSignedCert() });
    const raw = await rawConnect(address);
    const started = Date.now();
    await raw.closed(2000);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("a go-micro style client: pooled connections reused after a pause keep working", async () => {
    // the server's idle timeout is what a pooled connection meets; a healthy client never sees it
    const t = new HttpTransport({ logger: silentLogger });
    const listener = await t.listen("127.0.0.1:0");
    onCleanup(() => listener.close());
    listener.accept((s: Socket) => void answerEach(s));
    const client = await t.dial(listener.addr());
    onCleanup(() => client.close());
    for (let i = 0; i < 3; i++) {
      await client.send({ header: {}, body: text("x") });
      expect(untext((await client.recv()).body)).toBe("got 1");
      await sleep(150);
    }
  });
});
