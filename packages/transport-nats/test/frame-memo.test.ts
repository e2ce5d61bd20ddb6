// The frame memo against the full decoder: every frame, near-repeat or not, decodes to exactly what
// decodeFrame gives (or fails as it fails), across one-value changes of any length, other changes,
// escaped and non-ASCII values, repeated keys, close frames and malformed bodies.
import { EnvelopeError } from "@micro/core/plugin-kit";
import { describe, expect, it } from "vitest";
import { decodeFrame, encodeFrame } from "../src/frame.js";
import { FrameMemo } from "../src/frame-memo.js";

const bytes = (s: string) => new TextEncoder().encode(s);
const request = (id: string, body = "eyJuYW1lIjoiSm9obiJ9") =>
  bytes(
    `{"Header":{"Content-Type":"application/json","Micro-Endpoint":"Greeter.Hello","Micro-Id":"${id}","Timeout":"5000000000"},"Body":"${body}"}`,
  );

/** Decodes every frame through one memo and checks each against decodeFrame. */
function agree(frames: Uint8Array[]): void {
  const memo = new FrameMemo();
  for (const f of frames) {
    let want: unknown;
    try {
      want = decodeFrame(f);
    } catch (err) {
      expect(() => memo.decode(f), new TextDecoder().decode(f)).toThrow((err as Error).constructor as never);
      continue;
    }
    expect(memo.decode(f), new TextDecoder().decode(f)).toEqual(want);
  }
}

describe("frame memo", () => {
  it("decodes a client's requests, where Micro-Id and the body change, as the full decoder does", () => {
    agree(
      ["1", "2", "9", "10", "11", "100", "7", "", "abc-def"].map((id, i) => request(id, i % 2 ? "e30=" : "")),
    );
  });

  it("gives each frame its own header object", () => {
    const memo = new FrameMemo();
    const a = memo.decode(request("1"));
    const b = memo.decode(request("2"));
    expect(a).not.toBe("close");
    expect(b).not.toBe("close");
    if (a === "close" || b === "close") return;
    expect(a.header).not.toBe(b.header);
    expect(a.header["Micro-Id"]).toBe("1");
    expect(b.header["Micro-Id"]).toBe("2");
    b.header["Micro-Id"] = "changed";
    const c = memo.decode(request("3"));
    expect(c !== "close" && c.header).toEqual({
      "Content-Type": "application/json",
      "Micro-Endpoint": "Greeter.Hello",
      "Micro-Id": "3",
      Timeout: "5000000000",
    });
  });

  it("falls back to the full decoder for anything but one plain value changed", () => {
    agree([
      request("1"),
      // two values changed
      bytes(
        '{"Header":{"Content-Type":"application/json","Micro-Endpoint":"Greeter.Other","Micro-Id":"2","Timeout":"1"},"Body":""}',
      ),
      request("3"),
      // a key changed
      bytes(
        '{"Header":{"Content-Type":"application/json","Micro-Endpoinx":"Greeter.Hello","Micro-Id":"4","Timeout":"5000000000"},"Body":""}',
      ),
      request("5"),
      // an escaped value, a non-ASCII one, an HTML-escaped one
      request('a\\"b'),
      request("é"),
      request("\\u003c"),
      request("<&>"),
      // one entry more, one less, none, null header, null body
      bytes('{"Header":{"Content-Type":"application/json"},"Body":""}'),
      bytes('{"Header":{},"Body":"e30="}'),
      bytes('{"Header":{},"Body":"e30="}'),
      bytes('{"Header":null,"Body":"e30="}'),
      bytes('{"Header":{"A":"b"},"Body":null}'),
      bytes('{"Header":{"A":"c"},"Body":null}'),
    ]);
  });

  it("refuses what the full decoder refuses", () => {
    agree([
      request("1"),
      request("2", "not base64!"),
      request("3", "e30"),
      request("4", "e3=0"),
      bytes(
        '{"Header":{"Content-Type":"application/json","Micro-Endpoint":"Greeter.Hello","Micro-Id":"5","Timeout":"5000000000"},"Body":"e30="',
      ),
      bytes(
        '{"Header":{"Content-Type":"application/json","Micro-Endpoint":"Greeter.Hello","Micro-Id":"6","Timeout":"5000000000"},"Body":"e30="}x',
      ),
      request("7\u0001"),
      request("8"),
    ]);
    expect(() => new FrameMemo().decode(request("x", "@@@@"))).toThrow(EnvelopeError);
  });

  it("does not remember repeated keys: the last one wins, as in Go", () => {
    const dup = (v: string) => bytes(`{"Header":{"A":"${v}","A":"last"},"Body":""}`);
    agree([dup("1"), dup("2"), dup("3")]);
    expect(new FrameMemo().decode(dup("1"))).toEqual({ header: { A: "last" }, body: new Uint8Array(0) });
  });

  it("reads our close frame, also when only a value turned a message into one", () => {
    const frame = (stream: string) =>
      bytes(`{"Header":{"Connection":"close","Micro-Error":"EOS","Micro-Stream":"${stream}"},"Body":""}`);
    agree([frame("s1"), frame("micro.nats.close"), frame("s2"), frame("micro.nats.close")]);
    const memo = new FrameMemo();
    memo.decode(frame("s1"));
    expect(memo.decode(frame("micro.nats.close"))).toBe("close");
  });

  it("decodes what our encoder writes, bodies of every size", () => {
    const frames: Uint8Array[] = [];
    for (let n = 0; n < 70; n++) {
      frames.push(
        encodeFrame({
          header: { "Content-Type": "application/json", "Micro-Id": String(n) },
          body: Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255),
        }),
      );
    }
    agree(frames);
  });

  it("picks up again after a run of other frames", () => {
    const other = (i: number) => bytes(`{"Header":{"X":"${i}","Y":"${i}"},"Body":""}`);
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 60; i++) frames.push(i % 20 < 10 ? request(String(i)) : other(i));
    agree(frames);
  });
});
