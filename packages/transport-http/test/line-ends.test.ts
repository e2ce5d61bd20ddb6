// Line ends as Go's textproto reads them: a bare LF ends a line like CRLF does (Go's server answers
// "POST / HTTP/1.1\nHost: x\n\n"), and at most 4 CR/LF bytes may come before a request line
// (server.go skips that many after a POST; a fifth is a request line that is not one: 400).
import { afterEach, describe, expect, it } from "vitest";
import {
  answerEach,
  cleanup,
  gotReply,
  listenHttp,
  rawConnect,
  rejection,
  sleep,
  untext,
} from "./helpers.js";

afterEach(cleanup);

const crlf = (body: string) => `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe("bare LF line ends", () => {
  it("a request whose lines end in LF is read like a CRLF one", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\nHost: x\nMicro-Id: 7\nContent-Length: 2\n\nhi");
    const server = await next();
    const m = await server.recv();
    expect(m.header).toEqual({ "Micro-Id": "7", "Content-Length": "2" });
    expect(untext(m.body)).toBe("hi");
  });

  it("mixed with CRLF requests on one connection, pipelined in one packet", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(
      `${crlf("a")}POST / HTTP/1.1\nHost: x\nContent-Length: 2\r\n\nbb${crlf("ccc")}POST / HTTP/1.1\nContent-Length: 0\n\n`,
    );
    void answerEach(await next());
    const expected = gotReply(1) + gotReply(2) + gotReply(3) + gotReply(0);
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("the header ends at its first blank line, even when a CRLFCRLF follows in the body", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 6\n\nab\r\n\r\n");
    const server = await next();
    expect(untext((await server.recv()).body)).toBe("ab\r\n\r\n");
  });

  it("a bare-LF request dribbled in byte by byte", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    const bytes = Buffer.from("POST / HTTP/1.1\nHost: x\nA: 1\nContent-Length: 3\n\nabc");
    for (const b of bytes) {
      raw.write(Buffer.from([b]));
      await sleep(1);
    }
    const m = await (await next()).recv();
    expect(m.header.A).toBe("1");
    expect(untext(m.body)).toBe("abc");
  });

  it("a bare CR is not a line end (Go refuses it as a control byte in the value)", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nA: 1\rB: 2\r\n\r\n");
    expect(await rejection((await next()).recv())).toMatchObject({ code: 400 });
  });
});

describe("blank lines before a request line", () => {
  it("up to 4 CR/LF bytes between requests are skipped", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(`${crlf("a")}\r\n\r\n${crlf("bb")}\n\n${crlf("ccc")}`);
    void answerEach(await next());
    const expected = gotReply(1) + gotReply(2) + gotReply(3);
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("a fifth is refused with a 400, after the requests before it are answered", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(`${crlf("a")}\r\n\r\n\r${crlf("bb")}`);
    const served = answerEach(await next());
    await raw.closed();
    const got = raw.received.toString("latin1");
    expect(got.startsWith(`${gotReply(1)}HTTP/1.1 400 Bad Request\r\n`)).toBe(true);
    expect(await served).toMatchObject({
      code: 400,
      detail: "malformed frame: malformed HTTP request: more than 4 CR/LF bytes before the request line",
    });
  });

  it("an endless run of CRLFs is refused at once instead of being read on", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    const started = Date.now();
    raw.write("\r\n".repeat(100_000));
    expect(await rejection((await next()).recv())).toMatchObject({ code: 400 });
    await raw.closed();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
