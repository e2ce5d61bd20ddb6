// The framer on its own: every split of the input yields the same messages.
import { describe, expect, it } from "vitest";
import { HeaderMemo, type MessageHead, parseHead } from "../src/head.js";
import { NearRepeat } from "../src/near-repeat.js";
import { HttpParser } from "../src/parser.js";
import { REQUEST, REQUEST_HEADER } from "./spec-bytes.js";

function parseAll(mode: "request" | "response", parts: Buffer[]) {
  const got: { head: MessageHead; body: string }[] = [];
  const p = new HttpParser(mode, { maxHeaderSize: 1 << 20, maxBodySize: 1 << 20 }, (head, body) =>
    got.push({ head, body: body.toString("latin1") }),
  );
  for (const part of parts) p.execute(part);
  return { got, parser: p };
}

const CHUNKED =
  "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nA: 1\r\n\r\n3\r\nabc\r\n2;e\r\nde\r\n0\r\nT: x\r\n\r\n";
const STREAM = `${REQUEST}\r\n${CHUNKED}POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n`;

describe("HttpParser", () => {
  it("parses the same three messages however the bytes are split in two", () => {
    const all = Buffer.from(STREAM, "latin1");
    for (let cut = 0; cut <= all.length; cut++) {
      const { got, parser } = parseAll("request", [all.subarray(0, cut), all.subarray(cut)]);
      expect(
        got.map((m) => m.body),
        `cut at ${cut}`,
      ).toEqual(['{"name":"John"}\n', "abcde", ""]);
      expect(got[0]!.head.header).toEqual(REQUEST_HEADER);
      expect(got[1]!.head.header).toEqual({ A: "1" });
      expect(parser.midMessage).toBe(false);
    }
  });

  it("parses byte by byte", () => {
    const all = Buffer.from(STREAM, "latin1");
    const parts = [...all].map((b) => Buffer.from([b]));
    expect(parseAll("request", parts).got.map((m) => m.body)).toEqual(['{"name":"John"}\n', "abcde", ""]);
  });

  it("knows when it is inside a message", () => {
    const { parser } = parseAll("request", [Buffer.from("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\na")]);
    expect(parser.midMessage).toBe(true);
    expect(parser.end()).toBe(true);
  });

  it("responses: status, reason, no-body statuses, HTTP/1.0 close", () => {
    const { got } = parseAll("response", [
      Buffer.from(
        "HTTP/1.1 204 No Content\r\nX: 1\r\n\r\nHTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nzHTTP/1.1 500\r\nContent-Length: 0\r\n\r\n",
      ),
    ]);
    expect(got.map((m) => [m.head.status, m.head.reason, m.head.close, m.body])).toEqual([
      [204, "No Content", false, ""],
      [200, "OK", true, "z"],
      [500, "", false, ""],
    ]);
  });

  it("hands out single-read bodies as views of the read (no copy)", () => {
    const buf = Buffer.from("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    let body: Buffer | undefined;
    new HttpParser("request", { maxHeaderSize: 1024, maxBodySize: 1024 }, (_h, b) => {
      body = b;
    }).execute(buf);
    expect(body!.buffer).toBe(buf.buffer);
  });

  it("remembers the previous header block without leaking one message's map into the next", () => {
    const req = (lines: string[]) => Buffer.from(`POST / HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
    const heads: Record<string, string>[] = [];
    const p = new HttpParser("request", { maxHeaderSize: 1 << 20, maxBodySize: 1 << 20 }, (h) => {
      heads.push(h.header);
      h.header.Mutated = "by the consumer";
    });
    p.execute(req(["Host: h", "A: 1", "Micro-Id: 0", "a: dup", "B: x"]));
    p.execute(req(["Host: h", "A: 1", "Micro-Id: 1", "a: dup2", "B: x"]));
    p.execute(req(["Host: h", "A: 2", "Micro-Id: 2", "a: dup2", "B: x"]));
    p.execute(req(["Host: h", "A: 2", "Micro-Id: 3", "B: x"]));
    p.execute(req(["Host: h", "C: 2", "Micro-Id: 3", "B: x"]));
    p.execute(req(["Host: other", "C: 2", "Micro-Id: 3", "B: y"]));
    expect(heads).toEqual([
      { A: "1", "Micro-Id": "0", B: "x", Mutated: "by the consumer" },
      { A: "1", "Micro-Id": "1", B: "x", Mutated: "by the consumer" },
      { A: "2", "Micro-Id": "2", B: "x", Mutated: "by the consumer" },
      { A: "2", "Micro-Id": "3", B: "x", Mutated: "by the consumer" },
      { C: "2", "Micro-Id": "3", B: "x", Mutated: "by the consumer" },
      { C: "2", "Micro-Id": "3", B: "y", Mutated: "by the consumer" },
    ]);
  });
});

// A header block identical to the previous one is not parsed again; what comes out must not differ.
describe("HttpParser, repeated header blocks", () => {
  const rsp = (id: string, body: string) =>
    `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nMicro-Id: ${id}\r\nConnection: close\r\n\r\n${body}`;

  it("hands out equal heads with maps of their own, and notices a changed block", () => {
    const input = [rsp("1", "ab"), rsp("1", "cd"), rsp("1", "ef"), rsp("2", "gh"), rsp("2", "ijk")];
    const { got } = parseAll(
      "response",
      input.map((s) => Buffer.from(s, "latin1")),
    );
    expect(got.map((m) => m.body)).toEqual(["ab", "cd", "ef", "gh", "ijk"]);
    expect(got.map((m) => m.head.header["Micro-Id"])).toEqual(["1", "1", "1", "2", "2"]);
    expect(got.map((m) => m.head.header["Content-Length"])).toEqual(["2", "2", "2", "2", "3"]);
    expect(got.every((m) => m.head.close && m.head.status === 200)).toBe(true);
    got[1]!.head.header["Micro-Id"] = "changed by a receiver";
    expect(got[2]!.head.header["Micro-Id"]).toBe("1");
  });

  it("does not let a receiver's edits leak into the next identical head", () => {
    const heads: Record<string, string>[] = [];
    const p = new HttpParser("response", { maxHeaderSize: 1 << 20, maxBodySize: 1 << 20 }, (h) => {
      if (heads.length === 0) h.header.Extra = "x";
      heads.push(h.header);
    });
    for (let i = 0; i < 3; i++) p.execute(Buffer.from(rsp("7", "z"), "latin1"));
    expect(heads.map((h) => h["Micro-Id"])).toEqual(["7", "7", "7"]);
    expect(heads[0]).not.toBe(heads[1]);
    expect(Object.keys(heads[2]!).sort()).toEqual(["Connection", "Content-Length", "Micro-Id"]);
  });
});

// Requests that repeat the previous block but for one value take a shortcut; every kind of change
// must still come out exactly as a full parse gives it.
describe("HttpParser, blocks with one value changed", () => {
  const req = (lines: string[], body = "{}") =>
    `POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n${lines.join("\r\n")}\r\n\r\n${body}`;
  const base = ["Micro-Id: 10", "Micro-Service: svc", "X-Dup: first", "X-Dup: second", "Timeout: 5"];
  const variants: [string, string][] = [
    ["Micro-Id: 11", "{}"],
    ["Micro-Id: 12", "{}"],
    ["Micro-Id:  13 ", "{}"], // blanks around a value are trimmed
    ["Micro-Id: 14", "[]"], // body changed, not the block
    ["Micro-Id: 15", "{1}"], // Content-Length changed too
    ["Micro-Ix: 16", "{}"], // the key changed
    ["Micro-Id: é7", "{}"], // not ASCII
    ["Micro-Id: 18", "{}"],
    ["Micro-Id: 19", "{}"],
  ];
  const all = [req(base), ...variants.map(([line, body]) => req([line, ...base.slice(1)], body))];

  it("gives every head exactly what a parser seeing it alone gives", () => {
    const dup = [req(base), req(base.map((l) => (l === "X-Dup: second" ? "X-Dup: secont" : l)))];
    const joined = [...all, ...dup];
    const { got } = parseAll(
      "request",
      joined.map((s) => Buffer.from(s, "utf8")),
    );
    expect(got).toHaveLength(joined.length);
    joined.forEach((s, i) => {
      const alone = parseAll("request", [Buffer.from(s, "utf8")]).got[0]!;
      expect(got[i]!.head, `message ${i}`).toEqual(alone.head);
      expect(got[i]!.body).toBe(alone.body);
    });
    expect(got[3]!.head.header["Micro-Id"]).toBe("13");
    expect(got.at(-1)!.head.header["X-Dup"]).toBe("first");
  });

  it("takes a Connection change into account", () => {
    const { got } = parseAll("request", [
      Buffer.from(req(["Micro-Id: 1", "Connection: keep-alive"])),
      Buffer.from(req(["Micro-Id: 1", "Connection: close"])),
    ]);
    expect(got.map((m) => m.head.close)).toEqual([false, true]);
  });
});

describe("NearRepeat", () => {
  const block = (id: string) =>
    Buffer.from(`POST / HTTP/1.1\r\nContent-Length: 2\r\nMicro-Id: ${id}\r\nMicro-Service: s\r\n\r\n`);
  it("recognizes a block with only a value changed, and nothing else", () => {
    const memo = new HeaderMemo();
    const near = new NearRepeat();
    const first = block("100");
    const head = parseHead(first.toString(), "request", memo);
    near.remember(first, 0, first.length, first.toString(), head, memo);
    const next = block("101");
    expect(near.match(next, 0, next.length)?.header["Micro-Id"]).toBe("101");
    const again = block("102");
    expect(near.match(again, 0, again.length)?.header).toEqual({
      "Content-Length": "2",
      "Micro-Id": "102",
      "Micro-Service": "s",
    });
    const longer = block("1000");
    expect(near.match(longer, 0, longer.length)).toBeUndefined();
  });
});

// Bare LF line ends (Go's textproto accepts them), mixed with CRLF, however the bytes are split.
describe("HttpParser, bare LF line ends", () => {
  const LF_STREAM =
    "POST / HTTP/1.1\nHost: h\nA: 1\nContent-Length: 2\n\nab" +
    "POST / HTTP/1.1\r\nB: 2\nContent-Length: 1\r\n\r\nc" +
    "POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n1\nd\n0\n\n" +
    "POST / HTTP/1.1\r\nC: 3\r\nContent-Length: 4\n\n\r\n\r\n";

  it("parses the same four messages however the bytes are split in two", () => {
    const all = Buffer.from(LF_STREAM, "latin1");
    for (let cut = 0; cut <= all.length; cut++) {
      const { got, parser } = parseAll("request", [all.subarray(0, cut), all.subarray(cut)]);
      expect(
        got.map((m) => [m.head.header, m.body]),
        `cut at ${cut}`,
      ).toEqual([
        [{ A: "1", "Content-Length": "2" }, "ab"],
        [{ B: "2", "Content-Length": "1" }, "c"],
        [{}, "d"],
        [{ C: "3", "Content-Length": "4" }, "\r\n\r\n"],
      ]);
      expect(parser.midMessage).toBe(false);
    }
  });

  it("responses too", () => {
    const { got } = parseAll("response", [Buffer.from("HTTP/1.1 200 OK\nContent-Length: 1\n\nz")]);
    expect(got.map((m) => [m.head.status, m.head.reason, m.body])).toEqual([[200, "OK", "z"]]);
  });

  it("a message that starts with a byte no request can start with is refused at once", () => {
    const p = new HttpParser("request", { maxHeaderSize: 1 << 20, maxBodySize: 1 << 20 }, () => {});
    expect(() => p.execute(Buffer.from([0x16, 0x03, 0x01]))).toThrow(/TLS handshake/);
    const q = new HttpParser("request", { maxHeaderSize: 1 << 20, maxBodySize: 1 << 20 }, () => {});
    expect(() => q.execute(Buffer.from("\x00\x01 / HTTP/1.1"))).toThrow(/malformed HTTP request/);
  });
});
