// The envelopes against what go-micro's codec/jsonrpc writes and reads (https://github.com/micro/go-micro/blob/v5.30.0/codec/jsonrpc/client.go,
// server.go next to it).
import { type CodecHeader, MessageKind } from "@micro/core/plugin-kit";
import { expectMicroError } from "@micro/testing/helpers";
import { describe, expect, it } from "vitest";
import { jsonRpcCodec } from "../src/index.js";

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");
const wrap = (kind: MessageKind, header: CodecHeader, value: unknown) =>
  text(jsonRpcCodec.envelope.wrap(kind, header, jsonRpcCodec.marshal(value)));
const unwrap = (kind: MessageKind, body: string) => jsonRpcCodec.envelope.unwrap(kind, utf8.encode(body));

// malformed input is the caller's fault: a 400
const rejects = (fn: () => unknown, message: RegExp) => expectMicroError(fn, { code: 400, message });

describe("json-rpc request envelope", () => {
  it("is Go's bytes: params, id, method in that order, newline", () => {
    expect(wrap(MessageKind.Request, { id: "0", method: "Greeter.Hello" }, { name: "John" })).toBe(
      '{"params":[{"name":"John"}],"id":"0","method":"Greeter.Hello"}\n',
    );
  });

  it("falls back to the endpoint for the method and sends null for an empty body", () => {
    const body = jsonRpcCodec.envelope.wrap(
      MessageKind.Request,
      { id: "7", endpoint: "A.B" },
      new Uint8Array(0),
    );
    expect(text(body)).toBe('{"params":[null],"id":"7","method":"A.B"}\n');
  });

  it("escapes the id and method as Go does", () => {
    expect(wrap(MessageKind.Request, { id: "<1>", method: "A.B" }, 1)).toBe(
      '{"params":[1],"id":"\\u003c1\\u003e","method":"A.B"}\n',
    );
  });

  it("refuses to embed a body that is not JSON (a Frame of anything)", () => {
    expect(() =>
      jsonRpcCodec.envelope.wrap(MessageKind.Request, { id: "1", method: "A.B" }, utf8.encode("{oops")),
    ).toThrow(/not one JSON value/);
  });

  it("unwraps to the header and the inner body", () => {
    const { header, body } = unwrap(
      MessageKind.Request,
      '{"params":[{"name":"John"}],"id":"0","method":"Greeter.Hello"}\n',
    );
    expect(header).toEqual({ id: "0", method: "Greeter.Hello", endpoint: "Greeter.Hello" });
    expect(jsonRpcCodec.unmarshal(body)).toEqual({ name: "John" });
  });

  it("keeps every digit of numbers inside params", () => {
    const { header, body } = unwrap(
      MessageKind.Request,
      '{"method":"A.B","id":12,"params":[{"big":12345678901234567890,"f":1.0}]}',
    );
    expect(header.id).toBe("12");
    expect(text(body)).toBe('{"big":12345678901234567890,"f":1.0}\n');
  });

  it("rejects malformed envelopes with a 400", () => {
    rejects(() => unwrap(MessageKind.Request, "{"), /invalid envelope/);
    rejects(() => unwrap(MessageKind.Request, "[1]"), /must be a JSON object/);
    rejects(() => unwrap(MessageKind.Request, '{"params":[1],"id":"0"}'), /needs a method/);
    rejects(() => unwrap(MessageKind.Request, '{"params":{},"id":"0","method":"A.B"}'), /exactly one/);
    rejects(() => unwrap(MessageKind.Request, '{"params":[1,2],"id":"0","method":"A.B"}'), /exactly one/);
    rejects(() => unwrap(MessageKind.Request, '{"params":[],"id":"0","method":"A.B"}'), /exactly one/);
    rejects(() => unwrap(MessageKind.Request, '{"params":[1],"id":{},"method":"A.B"}'), /id must be/);
  });
});

describe("json-rpc response envelope", () => {
  it("is Go's bytes: id, result, error null", () => {
    expect(wrap(MessageKind.Response, { id: "0" }, { msg: "Hello John" })).toBe(
      '{"id":"0","result":{"msg":"Hello John"},"error":null}\n',
    );
  });

  it("carries an error string with a null result", () => {
    const err = '{"id":"x","code":500,"detail":"boom","status":"Internal Server Error"}';
    const body = jsonRpcCodec.envelope.wrap(MessageKind.Error, { id: "3", error: err }, new Uint8Array(0));
    expect(text(body)).toBe(`{"id":"3","result":null,"error":${JSON.stringify(err)}}\n`);
    expect(unwrap(MessageKind.Response, text(body)).header).toEqual({ id: "3", error: err });
  });

  it("unwraps the result, null results included", () => {
    const ok = unwrap(MessageKind.Response, '{"id":"0","result":{"msg":"Hello John"},"error":null}\n');
    expect(ok.header).toEqual({ id: "0" });
    expect(jsonRpcCodec.unmarshal(ok.body)).toEqual({ msg: "Hello John" });
    const nil = unwrap(MessageKind.Response, '{"id":"1","result":null,"error":null}');
    expect(jsonRpcCodec.unmarshal(nil.body)).toBeNull();
  });

  it("reports an empty error string as Go's client does", () => {
    expect(unwrap(MessageKind.Response, '{"id":"1","result":null,"error":""}').header.error).toBe(
      "unspecified error",
    );
  });

  it("rejects a non-string error with a 400", () => {
    rejects(
      () => unwrap(MessageKind.Response, '{"id":"1","result":null,"error":{"code":1}}'),
      /error must be/,
    );
    rejects(() => unwrap(MessageKind.Response, "null"), /must be a JSON object/);
    rejects(() => unwrap(MessageKind.Response, '{"msg":"bare"}'), /neither result nor error/);
  });

  it("leaves events bare", () => {
    const body = jsonRpcCodec.marshal({ say: "hello" });
    expect(jsonRpcCodec.envelope.wrap(MessageKind.Event, { id: "" }, body)).toBe(body);
    expect(jsonRpcCodec.envelope.unwrap(MessageKind.Event, body).body).toBe(body);
  });
});
