// The binary header table of the multiplexed path: what goes in comes out as the HTTP path would
// deliver it, repeated keys and values shrink to an index, and a hostile peer's table entries fail
// as a FrameError (the connection is closed), never as a crash or a silently wrong header.
import { describe, expect, it } from "vitest";
import { FrameError } from "../src/errors.js";
import { HeaderTableDecoder, HeaderTableEncoder, MAX_KEYS } from "../src/mux-header.js";

function pair() {
  const enc = new HeaderTableEncoder();
  const dec = new HeaderTableDecoder();
  return (h: Record<string, string>) => {
    const bytes = Buffer.from(enc.encode(h));
    return { bytes, header: dec.decode(bytes, 0, bytes.length) };
  };
}

describe("mux header table", () => {
  it("round-trips keys in Go's canonical form and values as the HTTP path writes them", () => {
    const send = pair();
    const { header } = send({
      "content-type": "application/json",
      "micro-id": "1",
      "X-Trace": "  padded\r\nvalue\t",
      Unicode: "héllo ✓",
    });
    expect(header).toEqual({
      "Content-Type": "application/json",
      "Micro-Id": "1",
      "X-Trace": "padded  value",
      Unicode: "héllo ✓",
    });
  });

  it("a repeated key is an index, a repeated value one more", () => {
    const send = pair();
    const h = { "Content-Type": "application/json", "Micro-Service": "greeter", "Micro-Id": "1" };
    const first = send(h);
    const second = send({ ...h, "Micro-Id": "2" });
    const third = send({ ...h, "Micro-Id": "2" });
    expect(second.header).toEqual({ ...h, "Micro-Id": "2" });
    expect(third.header).toEqual({ ...h, "Micro-Id": "2" });
    expect(second.bytes.length).toBeLessThan(first.bytes.length / 2);
    expect(third.bytes.length).toBe(9); // three SAME entries of 3 bytes
  });

  it("keys beyond the table's size still travel, as literals", () => {
    const send = pair();
    for (let i = 0; i < MAX_KEYS; i++) send({ [`K${i}`]: "v" });
    const { header } = send({ Extra: "x", K0: "v" });
    expect(header).toEqual({ Extra: "x", K0: "v" });
    expect(send({ Extra: "y" }).header).toEqual({ Extra: "y" });
  });

  it("a key that is not an HTTP token is refused and leaves both tables in step", () => {
    const enc = new HeaderTableEncoder();
    const dec = new HeaderTableDecoder();
    expect(() => enc.encode({ Good: "1", "bad key": "2" })).toThrow(/invalid header field name/);
    const bytes = Buffer.from(enc.encode({ Good: "1", Other: "2" }));
    expect(dec.decode(bytes, 0, bytes.length)).toEqual({ Good: "1", Other: "2" });
  });

  it("hostile entries are FrameErrors", () => {
    const cases: [string, Buffer][] = [
      ["unknown index", Buffer.from([3, 0, 7])],
      ["cut short", Buffer.from([2, 0])],
      ["unknown entry", Buffer.from([9, 0, 0])],
      ["key longer than the block", Buffer.from([1, 0, 50, 65])],
      ["value longer than the block", Buffer.from([1, 0, 1, 65, 0, 0, 1, 0, 66])],
      [
        "key that is not canonical",
        Buffer.concat([Buffer.from([1, 0, 3]), Buffer.from("a b"), Buffer.alloc(4)]),
      ],
    ];
    for (const [what, bytes] of cases) {
      const dec = new HeaderTableDecoder();
      expect(() => dec.decode(bytes, 0, bytes.length), what).toThrow(FrameError);
    }
  });
});
