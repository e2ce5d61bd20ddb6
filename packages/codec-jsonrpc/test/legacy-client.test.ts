// Core's client against a node without `protocol` metadata: application/json becomes
// application/json-rpc and the body is go-micro's envelope, both ways (client/rpc_codec.go's legacy switch).
import { isMicroError, silentLogger } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { legacyNodes } from "@micro/testing/legacy-node";
import { HttpTransport } from "@micro/transport-http";
import { describe, expect, it } from "vitest";
import "@micro/broker-memory";
import "@micro/selector";
import "../src/index.js";

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

// a node of the same process, reached over go-micro's http transport as an old Go node would be
const start = legacyNodes(() => ({
  transport: new HttpTransport({ logger: silentLogger }),
  registry: new MemoryRegistry(),
}));

describe("core's client calling a legacy node with json-rpc", () => {
  it("sends application/json-rpc with the request envelope and unwraps the reply", async () => {
    const node = await start((msg) => {
      const req = JSON.parse(text(msg.body)) as { id: string; params: [{ name: string }] };
      return {
        header: { "Content-Type": "application/json-rpc" },
        body: utf8.encode(`{"id":"${req.id}","result":{"msg":"Hello ${req.params[0].name}"},"error":null}\n`),
      };
    });
    const rsp = await node.client.call("legacy", "Greeter.Hello", { name: "John" });
    expect(rsp).toEqual({ msg: "Hello John" });

    const [req] = node.received;
    expect(req!.header["Content-Type"]).toBe("application/json-rpc");
    expect(req!.header.Accept).toBe("application/json-rpc");
    const id = req!.header["Micro-Id"];
    expect(text(req!.body)).toBe(`{"params":[{"name":"John"}],"id":"${id}","method":"Greeter.Hello"}\n`);
  });

  it("turns the envelope's error into the call's MicroError", async () => {
    const err = '{"id":"legacy","code":404,"detail":"no such user","status":"Not Found"}';
    const node = await start((msg) => {
      const { id } = JSON.parse(text(msg.body)) as { id: string };
      return {
        header: {},
        body: utf8.encode(`{"id":"${id}","result":null,"error":${JSON.stringify(err)}}\n`),
      };
    });
    const failure = await node.client.call("legacy", "Users.Get", { id: 1 }).catch((e: unknown) => e);
    expect(isMicroError(failure)).toBe(true);
    expect(failure).toMatchObject({ id: "legacy", code: 404, detail: "no such user" });
  });

  it("fails with a clear error when the reply is not an envelope", async () => {
    const node = await start(() => ({ header: {}, body: utf8.encode('{"msg":"bare"}\n') }));
    const failure = await node.client.call("legacy", "Greeter.Hello", {}).catch((e: unknown) => e);
    expect(isMicroError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/json-rpc/);
  });
});
