// Core's client against a node without `protocol` metadata: application/protobuf becomes
// application/proto-rpc and the body is go-micro's netstring envelope (client/rpc_codec.go's legacy switch).
import { parseProto } from "@micro/codec-proto";
import { isMicroError, silentLogger, type TransportMessage } from "@micro/core";
import { MemoryRegistry } from "@micro/registry-memory";
import { legacyNodes } from "@micro/testing/legacy-node";
import { HttpTransport } from "@micro/transport-http";
import { describe, expect, it } from "vitest";
import "@micro/broker-memory";
import "@micro/selector";
import { encodeHeader, netstrings } from "../src/index.js";

const proto = parseProto(`
  syntax = "proto3";
  message Request { string name = 1; }
  message Response { string msg = 1; }
`);
const requestType = proto.type("Request");
const responseType = proto.type("Response");
const show = (b: Uint8Array) => Buffer.from(b).toString("hex");

// a node of the same process, reached over go-micro's http transport as an old Go node would be
const start = legacyNodes(() => ({
  transport: new HttpTransport({ logger: silentLogger }),
  registry: new MemoryRegistry(),
}));

function response(msg: TransportMessage, body: Uint8Array, error = ""): TransportMessage {
  const seq = BigInt(msg.header["Micro-Id"]!);
  const header = encodeHeader({ serviceMethod: msg.header["Micro-Endpoint"]!, seq, error });
  return { header: {}, body: netstrings(header, error ? new Uint8Array(0) : body) };
}

describe("core's client calling a legacy node with proto-rpc", () => {
  it("sends application/proto-rpc with the netstring envelope and unwraps the reply", async () => {
    const node = await start((msg) => response(msg, responseType.encode({ msg: "Hello John" }).finish()));
    const rsp = await node.client.call(
      "legacy",
      "Greeter.Hello",
      { name: "John" },
      { contentType: "application/protobuf", requestType, responseType },
    );
    expect(rsp).toEqual({ msg: "Hello John" });

    const [req] = node.received;
    expect(req!.header["Content-Type"]).toBe("application/proto-rpc");
    const seq = BigInt(req!.header["Micro-Id"]!);
    const envelope = encodeHeader({ serviceMethod: "Greeter.Hello", seq, error: "" });
    expect(show(req!.body)).toBe(
      show(netstrings(envelope, Uint8Array.from(Buffer.from("0a044a6f686e", "hex")))),
    );
  });

  it("uses proto-rpc for application/octet-stream too, raw bytes both ways", async () => {
    const node = await start((msg) => response(msg, Uint8Array.from([9, 9])));
    const rsp = await node.client.call("legacy", "Blob.Put", Uint8Array.from([1, 2, 3]), {
      contentType: "application/octet-stream",
    });
    expect(show(rsp as Uint8Array)).toBe("0909");
    expect(node.received[0]!.header["Content-Type"]).toBe("application/proto-rpc");
    expect(show(node.received[0]!.body).endsWith("00000003010203")).toBe(true);
  });

  it("turns the envelope's error into the call's MicroError", async () => {
    const err = '{"id":"legacy","code":403,"detail":"nope","status":"Forbidden"}';
    const node = await start((msg) => response(msg, new Uint8Array(0), err));
    const failure = await node.client
      .call("legacy", "Greeter.Hello", { name: "x" }, { contentType: "application/protobuf", requestType })
      .catch((e: unknown) => e);
    expect(isMicroError(failure)).toBe(true);
    expect(failure).toMatchObject({ id: "legacy", code: 403, detail: "nope" });
  });
});
