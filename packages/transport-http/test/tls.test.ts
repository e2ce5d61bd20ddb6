// TLS: a listener with cert+key serves TLS; dialers verify it unless insecureSkipVerify.
import { silentLogger } from "@micro/core";
import { testTransport } from "@micro/testing/transport";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport } from "../src/index.js";
import { cleanup, listenHttp, onCleanup, rawConnect, selfSignedCert, text, untext } from "./helpers.js";

// generated once for the file: openssl takes a moment
const pair = selfSignedCert();
afterEach(cleanup);

describe("tls", () => {
  it("round trip over TLS with verification against the CA", async () => {
    const { address, next } = await listenHttp({ tls: pair });
    const client = await new HttpTransport({
      logger: silentLogger,
      tls: { ca: pair.cert, insecureSkipVerify: false },
    }).dial(address);
    onCleanup(() => client.close());
    await client.send({ header: { "Micro-Endpoint": "Greeter.Hello" }, body: text("secret") });
    const server = await next();
    const req = await server.recv();
    expect(untext(req.body)).toBe("secret");
    expect(req.header["Micro-Endpoint"]).toBe("Greeter.Hello");
    await server.send({ header: { "Content-Type": "text/plain" }, body: text("ok") });
    const rsp = await client.recv();
    expect(untext(rsp.body)).toBe("ok");
    expect(rsp.header).toMatchObject({ "Content-Type": "text/plain", "Micro-Endpoint": "Greeter.Hello" });
  });

  it("insecureSkipVerify accepts the self-signed certificate without a CA", async () => {
    const { address, next } = await listenHttp({ tls: pair });
    const client = await new HttpTransport({ logger: silentLogger, tls: { insecureSkipVerify: true } }).dial(
      address,
    );
    onCleanup(() => client.close());
    await client.send({ header: {}, body: text("x") });
    const server = await next();
    expect(untext((await server.recv()).body)).toBe("x");
  });

  it("verification against another CA fails the dial", async () => {
    const { address } = await listenHttp({ tls: pair });
    const other = selfSignedCert();
    const transport = new HttpTransport({ logger: silentLogger, tls: { ca: other.cert } });
    await expect(transport.dial(address)).rejects.toThrow();
  });

  it("a plain-text peer on a TLS listener does not disturb it", async () => {
    const { address, next } = await listenHttp({ tls: pair });
    const raw = await rawConnect(address);
    raw.write("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    await raw.closed();
    const client = await new HttpTransport({ logger: silentLogger, tls: { insecureSkipVerify: true } }).dial(
      address,
    );
    onCleanup(() => client.close());
    await client.send({ header: {}, body: text("still fine") });
    expect(untext((await (await next()).recv()).body)).toBe("still fine");
  });

  it("the multiplexed path runs inside TLS, verified the same way", async () => {
    const { address, next } = await listenHttp({ tls: pair });
    const client = new HttpTransport({
      logger: silentLogger,
      tls: { ca: pair.cert, insecureSkipVerify: false },
    });
    const sockets = await Promise.all([client.dialMux(address), client.dialMux(address)]);
    for (const s of sockets) onCleanup(() => s.close());
    await Promise.all(sockets.map((s, i) => s.send({ header: { N: String(i) }, body: text(`m${i}`) })));
    for (let i = 0; i < 2; i++) {
      const server = await next();
      const req = await server.recv();
      await server.send({ header: {}, body: req.body });
    }
    expect((await Promise.all(sockets.map((s) => s.recv()))).map((m) => untext(m.body))).toEqual([
      "m0",
      "m1",
    ]);
    const other = selfSignedCert();
    const wrong = new HttpTransport({
      logger: silentLogger,
      tls: { ca: other.cert, insecureSkipVerify: false },
    });
    await expect(wrong.dialMux(address)).rejects.toThrow();
  });
});

testTransport(
  "http over tls",
  () => ({
    transport: new HttpTransport({ logger: silentLogger, tls: { ...pair, insecureSkipVerify: true } }),
    address: "127.0.0.1:0",
  }),
  { largeBody: 1024 * 1024 },
);
