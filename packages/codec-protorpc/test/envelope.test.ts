// The envelopes against what go-micro's codec/protorpc writes and reads (https://github.com/micro/go-micro/blob/v5.30.0/codec/protorpc/protorpc.go).
import { MessageKind } from "@micro/core/plugin-kit";
import { expectMicroError } from "@micro/testing/helpers";
import { describe, expect, it } from "vitest";
import { decodeHeader, encodeHeader, protoRpcCodec, seqOf } from "../src/index.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ""), "hex"));
const show = (b: Uint8Array) => Buffer.from(b).toString("hex");
const JOHN = hex("0a044a6f686e");

// malformed input is the caller's fault: a 400
const rejects = (fn: () => unknown, message: RegExp) => expectMicroError(fn, { code: 400, message });

describe("proto-rpc envelope header", () => {
  it("is Go's Request for Greeter.Hello seq 0 (seq left out)", () => {
    const h = encodeHeader({ serviceMethod: "Greeter.Hello", seq: 0n, error: "" });
    expect(show(h)).toBe("0a0d477265657465722e48656c6c6f");
  });

  it("is Go's Request for seq 1 (fixed64, little-endian)", () => {
    const h = encodeHeader({ serviceMethod: "Greeter.Hello", seq: 1n, error: "" });
    expect(show(h)).toBe("0a0d477265657465722e48656c6c6f110100000000000000");
  });

  it("writes a Response's error as field 3 and reads all three back", () => {
    const h = { serviceMethod: "A.B", seq: 2n ** 64n - 1n, error: "boom" };
    expect(show(encodeHeader(h))).toBe("0a03412e4211ffffffffffffffff1a04626f6f6d");
    expect(decodeHeader(encodeHeader(h))).toEqual(h);
  });

  it("parses the Micro-Id like Go's strconv.ParseUint, 0 on failure", () => {
    expect(seqOf("42")).toBe(42n);
    expect(seqOf("18446744073709551615")).toBe(2n ** 64n - 1n);
    expect(seqOf("18446744073709551616")).toBe(0n);
    expect(seqOf("abc")).toBe(0n);
    expect(seqOf("-1")).toBe(0n);
    expect(seqOf("")).toBe(0n);
  });

  it("skips unknown fields and rejects broken ones", () => {
    // field 4 varint 1, then service_method "A"
    expect(decodeHeader(hex("2001 0a0141")).serviceMethod).toBe("A");
    rejects(() => decodeHeader(hex("0a05 41")), /past the end/);
    rejects(() => decodeHeader(hex("0b")), /wire type 3/);
    rejects(() => decodeHeader(hex("0a80")), /truncated varint/);
    rejects(() => decodeHeader(hex("0a02 ffff")), /not UTF-8/);
  });
});

describe("proto-rpc messages", () => {
  it("frames a request as Go does: netstring(header) + netstring(body)", () => {
    const msg = protoRpcCodec.envelope.wrap(MessageKind.Request, { id: "0", method: "Greeter.Hello" }, JOHN);
    expect(show(msg)).toBe("0000000f0a0d477265657465722e48656c6c6f" + "000000060a044a6f686e");
  });

  it("unwraps a request to its method, seq and body", () => {
    const msg = hex("000000180a0d477265657465722e48656c6c6f110100000000000000 000000060a044a6f686e");
    const { header, body } = protoRpcCodec.envelope.unwrap(MessageKind.Request, msg);
    expect(header).toEqual({ id: "1", method: "Greeter.Hello", endpoint: "Greeter.Hello" });
    expect(show(body)).toBe(show(JOHN));
  });

  it("writes an error response with the error in the header and an empty body", () => {
    const msg = protoRpcCodec.envelope.wrap(
      MessageKind.Error,
      { id: "3", method: "A.B", error: "boom" },
      JOHN,
    );
    expect(show(msg)).toBe("00000014" + "0a03412e42110300000000000000" + "1a04626f6f6d" + "00000000");
    const { header, body } = protoRpcCodec.envelope.unwrap(MessageKind.Response, msg);
    expect(header).toEqual({ id: "3", method: "A.B", endpoint: "A.B", error: "boom" });
    expect(body.length).toBe(0);
  });

  it("round trips a successful response", () => {
    const msg = protoRpcCodec.envelope.wrap(MessageKind.Response, { id: "7", method: "A.B" }, JOHN);
    const { header, body } = protoRpcCodec.envelope.unwrap(MessageKind.Response, msg);
    expect(header).toEqual({ id: "7", method: "A.B", endpoint: "A.B" });
    expect(show(body)).toBe(show(JOHN));
  });

  it("rejects malformed messages with a 400", () => {
    rejects(
      () => protoRpcCodec.envelope.unwrap(MessageKind.Response, hex("0000")),
      /length prefix truncated/,
    );
    rejects(() => protoRpcCodec.envelope.unwrap(MessageKind.Response, hex("00000005 0a")), /says 5 bytes/);
    rejects(() => protoRpcCodec.envelope.unwrap(MessageKind.Response, hex("00000000")), /body length prefix/);
    rejects(
      () => protoRpcCodec.envelope.unwrap(MessageKind.Response, hex("00000000 00000000 ff")),
      /1 bytes after/,
    );
    rejects(
      () => protoRpcCodec.envelope.unwrap(MessageKind.Response, hex("00000001 0b 00000000")),
      /wire type/,
    );
  });

  it("leaves events bare", () => {
    expect(protoRpcCodec.envelope.wrap(MessageKind.Event, { id: "" }, JOHN)).toBe(JOHN);
  });
});
