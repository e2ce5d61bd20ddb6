// Nothing a peer sends may crash the process or disturb other connections: each bad frame gets a
// short 400/413 reply carrying a go-micro error, the connection closes, and recv() rejects.
import { MicroError, type Socket } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpTransportOptions } from "../src/index.js";
import { cleanup, listenHttp, type RawPeer, rawConnect, rejection, text, untext } from "./helpers.js";

afterEach(cleanup);

function parseReply(raw: Buffer): { status: string; header: Record<string, string>; body: string } {
  const s = raw.toString("latin1");
  const end = s.indexOf("\r\n\r\n");
  const [status, ...lines] = s.slice(0, end).split("\r\n");
  const header: Record<string, string> = {};
  for (const l of lines) header[l.slice(0, l.indexOf(":"))] = l.slice(l.indexOf(":") + 2);
  return { status: status!, header, body: s.slice(end + 4) };
}

/** Sends `bytes` on one connection, checks the error reply and close, then proves a second connection works. */
async function rejects(
  bytes: string | Buffer | ((raw: RawPeer) => void),
  code: 400 | 413,
  detail: RegExp,
  options: HttpTransportOptions = {},
) {
  const { address, next } = await listenHttp(options);
  const raw = await rawConnect(address);
  if (typeof bytes === "function") bytes(raw);
  else raw.write(bytes);
  const server = await next();
  const err = await rejection(server.recv());
  expect(err).toBeInstanceOf(MicroError);
  expect(err).toMatchObject({ id: "go.micro.transport", code });
  expect((err as MicroError).detail).toMatch(detail);

  await raw.closed();
  const reply = parseReply(raw.received);
  expect(reply.status).toBe(
    code === 400 ? "HTTP/1.1 400 Bad Request" : "HTTP/1.1 413 Request Entity Too Large",
  );
  expect(reply.header.Connection).toBe("close");
  expect(reply.header["Content-Type"]).toBe("application/json");
  expect(reply.header["Micro-Error"]).toBe((err as MicroError).toString());
  expect(reply.body).toBe((err as MicroError).toString());
  expect(Number(reply.header["Content-Length"])).toBe(Buffer.byteLength(reply.body));
  expect(server.closed).toBe(true);

  await stillServes(address, next);
}

async function stillServes(address: string, next: () => Promise<Socket>) {
  const raw = await rawConnect(address);
  raw.write("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nping");
  const server = await next();
  expect(untext((await server.recv()).body)).toBe("ping");
  await server.send({ header: {}, body: text("pong") });
  const expected = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong";
  expect(await raw.take(expected.length)).toBe(expected);
}

describe("bad input", () => {
  it("malformed request line", () =>
    rejects("GARBAGE\r\n\r\n", 400, /^malformed frame: malformed HTTP request "GARBAGE"$/));

  it("unknown HTTP version", () => rejects("POST / HTTP/2.0\r\n\r\n", 400, /malformed HTTP version/));

  it("header line without a colon", () =>
    rejects(
      "POST / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
      400,
      /malformed MIME header line: "no colon here"/,
    ));

  it("header name with a space (or folded line)", async () => {
    await rejects("POST / HTTP/1.1\r\nBad Key: x\r\n\r\n", 400, /malformed MIME header line/);
    await rejects("POST / HTTP/1.1\r\nA: x\r\n folded\r\n\r\n", 400, /malformed MIME header line/);
  });

  it("bad Content-Length", () =>
    rejects("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400, /bad Content-Length "1x"/));

  it("conflicting Content-Length headers", () =>
    rejects(
      "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      400,
      /multiple Content-Length/,
    ));

  it("unsupported transfer encoding", () =>
    rejects("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, /unsupported transfer encoding/));

  it("bad chunk size", () =>
    rejects(
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
      400,
      /invalid byte in chunk length/,
    ));

  it("chunk data not followed by CRLF", () =>
    rejects(
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
      400,
      /malformed chunked encoding/,
    ));

  it("body over maxMessageSize (declared)", () =>
    rejects(
      "POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n",
      413,
      /^frame too large: body of 1025 bytes exceeds 1024$/,
      {
        maxMessageSize: 1024,
      },
    ));

  it("body over maxMessageSize while the peer is still sending it", () =>
    rejects(
      (raw) => {
        raw.write("POST / HTTP/1.1\r\nContent-Length: 4194304\r\n\r\n");
        raw.write(Buffer.alloc(4194304, 1));
      },
      413,
      /exceeds 1048576/,
      { maxMessageSize: 1024 * 1024 },
    ));

  it("chunked body over maxMessageSize", () =>
    rejects(
      `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n${"a".repeat(1024)}\r\n1\r\nb\r\n0\r\n\r\n`,
      413,
      /body exceeds 1024 bytes/,
      { maxMessageSize: 1024 },
    ));

  it("header block over maxHeaderSize (never terminated, and terminated)", async () => {
    await rejects(`POST / HTTP/1.1\r\nX-Big: ${"a".repeat(5000)}`, 413, /header block exceeds 4096 bytes/, {
      maxHeaderSize: 4096,
    });
    await rejects(
      `POST / HTTP/1.1\r\nX-Big: ${"a".repeat(5000)}\r\n\r\n`,
      413,
      /header block exceeds 4096 bytes/,
      {
        maxHeaderSize: 4096,
      },
    );
  });

  it("the default header limit is 1 MiB", async () => {
    await rejects(
      `POST / HTTP/1.1\r\nX-Big: ${"a".repeat(1024 * 1024 + 10)}`,
      413,
      /header block exceeds 1048576 bytes/,
    );
  });

  it("messages parsed before the bad frame are still delivered", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nokGARBAGE\r\n\r\n");
    const server = await next();
    expect(untext((await server.recv()).body)).toBe("ok");
    expect(await rejection(server.recv())).toMatchObject({ code: 400 });
  });

  it("connection closed mid-body: unexpected EOF, no reply, others unaffected", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly a little");
    const server = await next();
    const pending = rejection(server.recv());
    await new Promise((r) => setTimeout(r, 20));
    raw.socket.end();
    expect(await pending).toMatchObject({ id: "go.micro.transport", code: 500, detail: "unexpected EOF" });
    expect(raw.received.length).toBe(0);
    await stillServes(address, next);
  });

  it("connection closed mid-header: unexpected EOF", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nHost: x");
    const server = await next();
    const pending = rejection(server.recv());
    await new Promise((r) => setTimeout(r, 20));
    raw.socket.destroy();
    expect(await pending).toMatchObject({ code: 500, detail: "unexpected EOF" });
  });

  it("a bad frame on one connection leaves a concurrent open one alone", async () => {
    const { address, next } = await listenHttp();
    const good = await rawConnect(address);
    good.write("POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\na");
    const goodServer = await next();
    await goodServer.recv();
    const bad = await rawConnect(address);
    bad.write("\x00\x01\x02\r\n\r\n");
    const badServer = await next();
    await rejection(badServer.recv());
    good.write("POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nb");
    expect(untext((await goodServer.recv()).body)).toBe("b");
  });
});
