// Control bytes in header values are refused as Go's textproto refuses them (validHeaderValueByte:
// everything below 0x20 but tab, and DEL): before, a NUL was accepted and echoed into every reply.
import { afterEach, describe, expect, it } from "vitest";
import { answerEach, cleanup, listenHttp, onCleanup, rawConnect, rejection, text } from "./helpers.js";

afterEach(cleanup);

const withValue = (value: string) =>
  `POST / HTTP/1.1\r\nHost: x\r\nX-A: ${value}\r\nContent-Length: 0\r\n\r\n`;

describe("header values", () => {
  for (const [name, byte] of [
    ["NUL", "\x00"],
    ["SOH", "\x01"],
    ["ESC", "\x1b"],
    ["US", "\x1f"],
    ["DEL", "\x7f"],
    ["a bare CR", "\r"],
  ] as const) {
    it(`${name} in a value: 400, the request never reaches the owner`, async () => {
      const { address, next } = await listenHttp();
      const raw = await rawConnect(address);
      raw.write(withValue(`a${byte}b`));
      const err = await rejection((await next()).recv());
      expect(err).toMatchObject({ id: "go.micro.transport", code: 400 });
      expect((err as Error).message).toMatch(/^malformed frame: malformed MIME header line: "X-A: a.*b"$/);
      await raw.closed();
      expect(raw.received.toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    });
  }

  it("tab, spaces and bytes from 0x80 up are values like any other (Go accepts them)", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    raw.write(Buffer.from(withValue("a\tb c\xe9"), "latin1"));
    const server = await next();
    const m = await server.recv();
    expect(m.header["X-A"]).toBe("a\tb c\ufffd");
  });

  it("a NUL in the one value that changed since the previous request (the fast path) too", async () => {
    const { address, next } = await listenHttp();
    const raw = await rawConnect(address);
    const req = (id: string) =>
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nMicro-Id: ${id}\r\nContent-Length: 0\r\n\r\n`;
    raw.write(req("11") + req("12"));
    const served = answerEach(await next());
    // replies echo the first request's headers: wait for both, then look at what comes next only
    await raw.until((b) => b.toString("latin1").split("got 0").length === 3, "two replies");
    raw.received = Buffer.alloc(0);
    raw.write(req("1\x00"));
    expect(await served).toMatchObject({ code: 400 });
    await raw.closed();
    expect(raw.received.toString("latin1")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it("ours never send one: control bytes in values we write go out as spaces (like CR and LF)", async () => {
    const { transport, address, next } = await listenHttp();
    const client = await transport.dial(address);
    onCleanup(() => client.close());
    await client.send({ header: { "X-A": "a\x00b\x7fc\td" }, body: text("") });
    const server = await next();
    expect((await server.recv()).header["X-A"]).toBe("a b c\td");
    await server.send({ header: { "X-B": "\x01e\x1bf" }, body: text("") });
    expect((await client.recv()).header["X-B"]).toBe("e f");
  });
});
