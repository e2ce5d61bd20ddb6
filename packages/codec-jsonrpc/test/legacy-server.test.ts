// A legacy go-micro client (json-rpc envelope, no Micro-* headers) calling a TypeScript server: the
// server unwraps the call from the envelope and answers with an envelope, as go-micro's server/rpc_codec.go does.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@micro/broker-memory";
import "@micro/transport-http";
import "../src/index.js";
import { createService, MicroError, type MicroService, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";

let service: MicroService;

beforeAll(async () => {
  service = createService({
    name: "greeter",
    registry: new MemoryRegistry(),
    broker: "memory",
    selector: "random",
    address: "127.0.0.1:0",
    argv: [],
    env: {},
    logger: silentLogger,
  });
  service.handle("Greeter", {
    async hello(_ctx: unknown, req: { name: string }) {
      if (!req.name) throw MicroError.badRequest("greeter", "name is required");
      return { msg: `Hello ${req.name}` };
    },
  });
  await service.start();
});
afterAll(() => service.stop());

function exchange(body: string): Promise<string> {
  const [host, port] = service.server.address().split(":");
  return new Promise((resolve, reject) => {
    const sock = connect(Number(port), host!, () => {
      sock.write(
        `POST / HTTP/1.1\r\nHost: ${host}:${port}\r\nContent-Type: application/json-rpc\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
    let got = "";
    sock.on("data", (d) => {
      got += d;
      const head = got.indexOf("\r\n\r\n");
      const len = /Content-Length: (\d+)/i.exec(got)?.[1];
      if (head >= 0 && len !== undefined && got.length >= head + 4 + Number(len)) {
        sock.end();
        resolve(got);
      }
    });
    sock.on("error", reject);
  });
}

describe("json-rpc request to a TypeScript server", () => {
  it("answers Go's legacy Greeter.Hello exchange with a json-rpc envelope", async () => {
    const reply = await exchange('{"params":[{"name":"John"}],"id":"0","method":"Greeter.Hello"}\n');
    expect(reply.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
    expect(reply.endsWith('\r\n\r\n{"id":"0","result":{"msg":"Hello John"},"error":null}\n')).toBe(true);
  });

  it("puts a handler error in the envelope's error and in Micro-Error", async () => {
    const reply = await exchange('{"params":[{}],"id":"7","method":"Greeter.Hello"}\n');
    const err = '{"id":"greeter","code":400,"detail":"name is required","status":"Bad Request"}';
    expect(reply).toContain(`Micro-Error: ${err}\r\n`);
    expect(reply.endsWith(`{"id":"7","result":null,"error":${JSON.stringify(err)}}\n`)).toBe(true);
  });

  it("rejects a malformed envelope with a 400", async () => {
    const reply = await exchange('{"params":"nope","id":"1","method":"Greeter.Hello"}\n');
    expect(reply).toMatch(/Micro-Error: \{"id":"[^"]*","code":400/);
  });
});
