// TLS meeting plaintext, both ways. A ClientHello on the plaintext port was held until 1 MiB or a
// timeout; it is refused at once (a request cannot start with 0x16), which also lets a TLS client
// that dialled a plaintext server fail at its handshake instead of waiting out the dial timeout.
import { connect as tlsConnect } from "node:tls";
import { MicroError, silentLogger } from "@micro/core";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport } from "../src/index.js";
import { cleanup, listenHttp, rawConnect, rawServer, rejection } from "./helpers.js";

afterEach(cleanup);

/** The first bytes a real TLS client sends: its ClientHello. */
async function clientHello(): Promise<Buffer> {
  const { address, peer } = await rawServer();
  const [host, port] = address.split(":");
  const tls = tlsConnect({
    host,
    port: Number(port),
    rejectUnauthorized: false,
    ALPNProtocols: ["http/1.1"],
  });
  tls.on("error", () => {});
  const raw = await peer;
  await raw.until((b) => b.length >= 5 && b.length >= 5 + b.readUInt16BE(3), "a ClientHello");
  tls.destroy();
  return raw.received;
}

const tlsClient = () => new HttpTransport({ logger: silentLogger, tls: { insecureSkipVerify: true } });

describe("a TLS ClientHello on the plaintext port", () => {
  it("is refused at once with a go-micro 400, and the connection closes", async () => {
    const hello = await clientHello();
    expect(hello[0]).toBe(0x16);
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    const started = Date.now();
    raw.write(hello);
    const err = await rejection((await next()).recv());
    expect(err).toBeInstanceOf(MicroError);
    expect(err).toMatchObject({
      id: "go.micro.transport",
      code: 400,
      detail: "malformed frame: client sent a TLS handshake to a plaintext HTTP server",
    });
    await raw.closed();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(raw.received.toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});

describe("a TLS client dialling a plaintext server", () => {
  it("ours: the dial fails at the handshake, not after the 5 s dial timeout", async () => {
    const { address } = await listenHttp();
    const started = Date.now();
    const err = await rejection(tlsClient().dial(address));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toBeInstanceOf(MicroError);
    expect(err).toMatchObject({
      id: "go.micro.client.transport",
      code: 500,
      detail: "tls: first record does not look like a TLS handshake (the server does not speak TLS)",
    });
  });

  it("one that answers the hello with HTTP, as Go's server does: the same clear error", async () => {
    const { address, peer } = await rawServer();
    void peer.then(async (raw) => {
      await raw.until((b) => b.length > 0, "the hello");
      raw.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n400 Bad Request");
      raw.socket.end();
    });
    const err = await rejection(tlsClient().dial(address));
    expect(err).toMatchObject({ detail: expect.stringMatching(/^tls: first record does not look like/) });
  });

  it("one that just hangs up: a go-micro error saying so", async () => {
    const { address, peer } = await rawServer();
    void peer.then(async (raw) => {
      await raw.until((b) => b.length > 0, "the hello");
      raw.socket.destroy();
    });
    const err = await rejection(tlsClient().dial(address));
    expect(err).toBeInstanceOf(MicroError);
    expect(err).toMatchObject({ id: "go.micro.client.transport", code: 500 });
    expect((err as MicroError).detail).toMatch(/^tls handshake: /);
  });

  it("the multiplexed path fails as fast", async () => {
    const { address } = await listenHttp();
    const started = Date.now();
    const err = await rejection(tlsClient().dialMux(address));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err).toMatchObject({ detail: expect.stringMatching(/^tls: first record does not look like/) });
  });

  it("a refused TCP connection is still a plain dial error", async () => {
    const { address, server } = await rawServer();
    await new Promise<void>((r) => server.close(() => r()));
    const err = await rejection(tlsClient().dial(address));
    expect(err).not.toBeInstanceOf(MicroError);
    expect((err as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });
});
