// Our accepted socket against a raw TCP peer speaking exactly what a Go client writes: the unary call and
// error bytes of ./spec-bytes.ts, and a stream's requests with `Micro-Stream` ending in `Micro-Error: EOS`.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, listenHttp, rawConnect, rejection, text, untext } from "./helpers.js";
import { ERROR, ERROR_JSON, REQUEST, REQUEST_HEADER, SUCCESS } from "./spec-bytes.js";

afterEach(cleanup);

describe("server socket on the wire", () => {
  it("reads Go's request and answers with Go's exact success and error bytes", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(REQUEST);
    const server = await next();
    const req = await server.recv();
    expect(req.header).toEqual(REQUEST_HEADER);
    expect(untext(req.body)).toBe('{"name":"John"}\n');

    await server.send({
      header: { "Content-Type": "application/json" },
      body: text('{"msg":"Hello John"}\n'),
    });
    expect(await raw.take(SUCCESS.length)).toBe(SUCCESS);

    // the next call on the pooled connection: replies still echo the FIRST request's headers
    raw.write(REQUEST.replace("Micro-Id: 0", "Micro-Id: 1"));
    expect((await server.recv()).header["Micro-Id"]).toBe("1");
    await server.send({
      header: { "Micro-Error": ERROR_JSON, "X-Micro-Error": ERROR_JSON },
      body: new Uint8Array(),
    });
    expect(await raw.take(ERROR.length)).toBe(ERROR);
    expect(raw.received.length).toBe(0);
    expect(server.closed).toBe(false);
  });

  it("canonicalizes keys, keeps the first of repeated headers and accepts any method and path", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(
      "PUT /some/path?x=1 HTTP/1.1\r\nhost: h\r\nmicro-ID: 5\r\nx-custom:  padded \t\r\nX-Custom: second\r\nempty:\r\n\r\n",
    );
    const server = await next();
    const req = await server.recv();
    expect(req.header).toEqual({ "Micro-Id": "5", "X-Custom": "padded", Empty: "" });
    expect(req.body.length).toBe(0);
  });

  it("message headers are canonicalized and override echoed ones; framing headers are never echoed", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: T\r\nB: 1\r\nA: 1\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    );
    const server = await next();
    const req = await server.recv();
    expect(untext(req.body)).toBe("abc");
    expect(req.header).toEqual({ Trailer: "T", B: "1", A: "1" });
    await server.send({ header: { "micro-error": "EOS", b: "2", "content-length": "99" }, body: text("ok") });
    const expected = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nA: 1\r\nB: 2\r\nMicro-Error: EOS\r\n\r\nok";
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("turns CR/LF in header values into spaces instead of letting them split the header", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    const server = await next();
    await server.recv();
    await server.send({ header: { "X-Evil": "a\r\nInjected: yes" }, body: new Uint8Array() });
    const expected = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Evil: a  Injected: yes\r\n\r\n";
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("parses pipelined requests from one write and a request dribbled in byte by byte", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    const one = (id: number) =>
      `POST / HTTP/1.1\r\nMicro-Id: ${id}\r\nContent-Length: 2\r\n\r\n${String(id).padStart(2, "0")}`;
    raw.write(one(1) + one(2) + one(3));
    const server = await next();
    for (const id of [1, 2, 3]) {
      const m = await server.recv();
      expect(m.header["Micro-Id"]).toBe(String(id));
      expect(untext(m.body)).toBe(String(id).padStart(2, "0"));
    }
    const pending = server.recv();
    for (const ch of Buffer.from(REQUEST)) {
      raw.write(Buffer.from([ch]));
      await new Promise((r) => setImmediate(r));
    }
    const m = await pending;
    expect(m.header).toEqual(REQUEST_HEADER);
    expect(untext(m.body)).toBe('{"name":"John"}\n');
  });

  it("streams as Go does: several stream requests, several responses, EOS both ways", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    const stream = (extra: string, body: string) =>
      "POST / HTTP/1.1\r\nHost: 10.0.0.5:43521\r\nUser-Agent: Go-http-client/1.1\r\n" +
      `Content-Length: ${body.length}\r\nAccept: application/json\r\nContent-Type: application/json\r\n` +
      `Micro-Endpoint: Streamer.ServerStream\r\n${extra}Micro-Id: 7\r\nMicro-Method: Streamer.ServerStream\r\n` +
      `Micro-Service: streamer\r\nMicro-Stream: 7\r\n\r\n${body}`;
    raw.write(stream("", "{}\n"));
    raw.write(stream("", '{"count":3}\n'));
    const server = await next();
    expect(untext((await server.recv()).body)).toBe("{}\n");
    const second = await server.recv();
    expect(second.header["Micro-Stream"]).toBe("7");
    expect(untext(second.body)).toBe('{"count":3}\n');

    const echoed =
      "Accept: application/json\r\nContent-Type: application/json\r\nMicro-Endpoint: Streamer.ServerStream\r\n" +
      "Micro-Id: 7\r\nMicro-Method: Streamer.ServerStream\r\nMicro-Service: streamer\r\nMicro-Stream: 7\r\n" +
      "User-Agent: Go-http-client/1.1\r\n";
    for (let i = 0; i < 3; i++) {
      await server.send({ header: { "Content-Type": "application/json" }, body: text(`{"count":${i}}\n`) });
    }
    await server.send({ header: { "Micro-Error": "EOS", "X-Micro-Error": "EOS" }, body: new Uint8Array() });
    let expected = "";
    for (let i = 0; i < 3; i++) {
      expected += `HTTP/1.1 200 OK\r\nContent-Length: 12\r\n${echoed}\r\n{"count":${i}}\n`;
    }
    expected +=
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nAccept: application/json\r\nContent-Type: application/json\r\n" +
      "Micro-Endpoint: Streamer.ServerStream\r\nMicro-Error: EOS\r\nMicro-Id: 7\r\nMicro-Method: Streamer.ServerStream\r\n" +
      "Micro-Service: streamer\r\nMicro-Stream: 7\r\nUser-Agent: Go-http-client/1.1\r\nX-Micro-Error: EOS\r\n\r\n";
    expect(await raw.take(expected.length)).toBe(expected);

    // client Close: the EOS request, then the connection goes away
    raw.write(stream("Micro-Error: EOS\r\n", ""));
    const eos = await server.recv();
    expect(eos.header["Micro-Error"]).toBe("EOS");
    expect(eos.body.length).toBe(0);
    raw.socket.end();
    const err = await rejection(server.recv());
    expect(err).toMatchObject({ code: 500, detail: "EOF" });
  });

  it("closes after replying to a request with Connection: close", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi");
    const server = await next();
    const req = await server.recv();
    expect(req.header.Connection).toBe("close");
    const nextRecv = rejection(server.recv());
    await server.send({ header: {}, body: text("bye") });
    const expected = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbye";
    expect(await raw.take(expected.length)).toBe(expected);
    await raw.closed();
    expect(await nextRecv).toMatchObject({ detail: "EOF" });
    expect(server.closed).toBe(true);
  });

  it("keeps an idle connection open (no timeout by default)", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    const server = await next();
    await server.recv();
    await new Promise((r) => setTimeout(r, 300));
    expect(raw.ended).toBe(false);
    await server.send({ header: {}, body: text("late") });
    const expected = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate";
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("with a timeout, a recv() that waits too long rejects with 408 and the connection closes", async () => {
    const { address, next } = await listenHttp({ timeout: 100 });
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    const server = await next();
    await server.recv();
    const err = await rejection(server.recv());
    expect(err).toMatchObject({ code: 408, detail: "i/o timeout" });
    await raw.closed();
  });
});
