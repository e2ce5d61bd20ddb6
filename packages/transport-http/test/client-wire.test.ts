// Our dialed socket against a raw TCP server: the request bytes it writes and the responses it parses.
import { silentLogger } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport } from "../src/index.js";
import { cleanup, onCleanup, rawServer, rejection, text, untext } from "./helpers.js";
import { SUCCESS } from "./spec-bytes.js";

afterEach(cleanup);

async function dial(connClose = false) {
  const { address, peer } = await rawServer();
  const transport = new HttpTransport({ logger: silentLogger });
  const client = await transport.dial(address, { stream: true, connClose });
  onCleanup(() => client.close());
  return { client, raw: await peer, address };
}

describe("client socket on the wire", () => {
  it("writes POST / with Host, Content-Length and sorted canonical headers", async () => {
    const { client, raw, address } = await dial();
    await client.send({
      header: {
        "Micro-Service": "greeter",
        "Micro-ID": "0",
        "content-type": "application/json",
        Accept: "application/json",
        "Micro-Endpoint": "Greeter.Hello",
        "Micro-Method": "Greeter.Hello",
        Timeout: "5000000000",
      },
      body: text('{"name":"John"}\n'),
    });
    const expected =
      `POST / HTTP/1.1\r\nHost: ${address}\r\nContent-Length: 16\r\n` +
      "Accept: application/json\r\nContent-Type: application/json\r\nMicro-Endpoint: Greeter.Hello\r\n" +
      "Micro-Id: 0\r\nMicro-Method: Greeter.Hello\r\nMicro-Service: greeter\r\nTimeout: 5000000000\r\n\r\n" +
      '{"name":"John"}\n';
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("always writes Content-Length, also 0, and Connection: close when dialed with connClose", async () => {
    const { client, raw, address } = await dial(true);
    await client.send({ header: { "Micro-Error": "EOS", "Micro-Stream": "7" }, body: new Uint8Array() });
    const expected = `POST / HTTP/1.1\r\nHost: ${address}\r\nConnection: close\r\nContent-Length: 0\r\nMicro-Error: EOS\r\nMicro-Stream: 7\r\n\r\n`;
    expect(await raw.take(expected.length)).toBe(expected);
  });

  it("parses Go's success response", async () => {
    const { client, raw } = await dial();
    raw.write(SUCCESS);
    const m = await client.recv();
    expect(untext(m.body)).toBe('{"msg":"Hello John"}\n');
    expect(m.header).toMatchObject({
      "Content-Length": "21",
      "Micro-Id": "0",
      "User-Agent": "Go-http-client/1.1",
    });
  });

  it("parses chunked responses, with extensions and trailers, split anywhere", async () => {
    const { client, raw } = await dial();
    const rsp =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n" +
      "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n";
    raw.write(rsp);
    const m = await client.recv();
    expect(untext(m.body)).toBe("hello 0123456789");
    expect(m.header).toEqual({ "Content-Type": "text/plain" });
    const pending = client.recv();
    for (let i = 0; i < rsp.length; i += 3) {
      raw.write(rsp.slice(i, i + 3));
      await new Promise((r) => setImmediate(r));
    }
    expect(untext((await pending).body)).toBe("hello 0123456789");
  });

  it("rejects a non-200 response with go.micro.client.transport 500 '<status>: <body>' and keeps going", async () => {
    const { client, raw } = await dial();
    raw.write("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found");
    raw.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    const err = await rejection(client.recv());
    expect(err).toMatchObject({
      id: "go.micro.client.transport",
      code: 500,
      detail: "404 Not Found: not found",
    });
    expect(untext((await client.recv()).body)).toBe("ok");
  });

  it("reads a response without length until the connection closes", async () => {
    const { client, raw } = await dial();
    raw.write("HTTP/1.1 200 OK\r\nX: 1\r\n\r\nuntil the end");
    raw.socket.end();
    expect(untext((await client.recv()).body)).toBe("until the end");
    expect(await rejection(client.recv())).toMatchObject({ detail: "EOF" });
  });

  it("peer closing mid-response gives unexpected EOF; between responses EOF", async () => {
    const { client, raw } = await dial();
    raw.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    await new Promise((r) => setTimeout(r, 20));
    raw.socket.end();
    expect(await rejection(client.recv())).toMatchObject({
      id: "go.micro.client.transport",
      code: 500,
      detail: "unexpected EOF",
    });
    expect(client.closed).toBe(true);
  });

  it("a malformed response fails the socket", async () => {
    const { client, raw } = await dial();
    raw.write("HTTP/9 200 OK\r\n\r\n");
    expect(await rejection(client.recv())).toMatchObject({ id: "go.micro.client.transport", code: 500 });
  });

  it("refuses invalid header names instead of writing them", async () => {
    const { client } = await dial();
    await expect(client.send({ header: { "Bad Key": "x" }, body: new Uint8Array() })).rejects.toMatchObject({
      code: 500,
    });
  });

  it("dial rejects on timeout and on abort", async () => {
    const transport = new HttpTransport({ logger: silentLogger });
    const ctrl = new AbortController();
    ctrl.abort(new Error("stop"));
    await expect(transport.dial("127.0.0.1:1", { signal: ctrl.signal })).rejects.toThrow("stop");
    // a peer that accepts TCP but never answers the TLS handshake holds the dial until its timeout
    const { address } = await rawServer();
    const secure = new HttpTransport({ logger: silentLogger, tls: { insecureSkipVerify: true } });
    await expect(secure.dial(address, { timeout: 100 })).rejects.toThrow(`dial tcp ${address}: i/o timeout`);
  });
});
