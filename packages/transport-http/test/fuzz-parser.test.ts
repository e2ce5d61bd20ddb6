// Fuzzing the HTTP/1.x framer (issue 18): any bytes, however they are split into reads, give
// messages or a FrameError (which the socket answers with a 400/413 MicroError), each input in
// under 100 ms; the split never changes what comes out; and what our writer writes, with its
// header caches, the parser reads back exactly. MICRO_FUZZ_RUNS sets the budget.
import { anyBytes, cuts, fc, fuzzIt, mutated, split } from "@micro/testing/fuzz";
import { describe, expect } from "vitest";
import { FrameError } from "../src/errors.js";
import type { ParserMode } from "../src/head.js";
import { canonicalHeaderKey } from "../src/header-keys.js";
import { HttpParser } from "../src/parser.js";
import { cleanValue, HeaderEncoder } from "../src/writer.js";
import { ERROR, REQUEST, SUCCESS } from "./spec-bytes.js";

const LIMITS = { maxHeaderSize: 4096, maxBodySize: 64 * 1024 };
const isFrameError = (err: unknown) => err instanceof FrameError;
const latin1 = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));

const CHUNKED =
  "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nA: 1\r\n\r\n3\r\nabc\r\n2;e\r\nde\r\n0\r\nT: x\r\n\r\n";
const REQUESTS = [
  REQUEST,
  CHUNKED,
  `${REQUEST}\r\n${CHUNKED}POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n`,
  "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\nX-A: 1\r\nx-a: 2\r\n\r\nhi",
].map(latin1);
const RESPONSES = [
  SUCCESS,
  ERROR,
  `${SUCCESS}HTTP/1.1 204 No Content\r\nX: 1\r\n\r\nHTTP/1.1 500\r\nContent-Length: 0\r\n\r\n`,
  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n",
  "HTTP/1.0 200 OK\r\nMicro-Id: 1\r\n\r\nuntil the connection closes",
].map(latin1);

/** Everything the parser hands out for `reads`, and the FrameError that stopped it, if any. */
function parse(mode: ParserMode, reads: readonly Uint8Array[]) {
  const messages: string[] = [];
  const parser = new HttpParser(mode, LIMITS, (head, body) =>
    messages.push(JSON.stringify([head.header, head.close, head.status, head.reason, body.toString("hex")])),
  );
  let error: number | undefined;
  try {
    for (const r of reads) parser.execute(Buffer.from(r.buffer, r.byteOffset, r.byteLength));
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    // the status only: a message may quote as much of the bad line as had arrived
    error = err.code;
  }
  const cut = error === undefined ? parser.end() : undefined;
  return { messages, error, cut };
}

for (const [mode, seeds] of [
  ["request", REQUESTS],
  ["response", RESPONSES],
] as const) {
  describe(`fuzz: http parser (${mode}s)`, () => {
    const inputs = fc.tuple(fc.oneof(anyBytes(), mutated(seeds)), cuts());
    const options = { accepts: isFrameError };

    fuzzIt(
      "any bytes in any reads: messages or a FrameError, each input under the time limit",
      inputs,
      (input, probe) => {
        probe.run(input, ([bytes, at]) => parse(mode, split(bytes, at)));
      },
      options,
    );

    fuzzIt(
      "splitting the bytes into reads changes nothing",
      inputs,
      (input, probe) => {
        const whole = probe.run(input, ([bytes]) => parse(mode, [bytes]));
        const parts = probe.run(input, ([bytes, at]) => parse(mode, split(bytes, at)));
        expect(parts).toEqual(whole);
      },
      options,
    );
  });
}

// header maps as callers send them: token keys in any case, values of any text (no controls, which
// the writer does not police and the parser is being taught to refuse)
const key = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const value = fc.string({ unit: fc.constantFrom(..." \tabcXYZ019:;,/=\"'()é✓🌍"), maxLength: 16 });
const headers = fc.dictionary(key, value, { maxKeys: 6 });
// a sequence of maps as one connection sends them: mostly the previous map with a value or two
// changed (what the encoder's and the parser's caches are for), sometimes a new one
const sequence = fc
  .tuple(headers, fc.array(fc.tuple(fc.boolean(), headers, fc.nat(), value), { minLength: 1, maxLength: 8 }))
  .map(([first, steps]) => {
    const out = [first];
    for (const [fresh, other, i, v] of steps) {
      const prev = out.at(-1)!;
      const keys = Object.keys(prev);
      out.push(fresh || keys.length === 0 ? other : { ...prev, [keys[i % keys.length]!]: v });
    }
    return out;
  });

const SKIP = new Set(["Host", "Content-Length", "Transfer-Encoding", "Trailer", "Connection"]);

/** What the parser must deliver for `header`: canonical keys, cleaned values, the last duplicate. */
function expected(header: Record<string, string>, bodyLength: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [raw, v] of Object.entries(header)) {
    const k = canonicalHeaderKey(raw)!;
    if (!SKIP.has(k)) out[k] = cleanValue(v);
  }
  out["Content-Length"] = String(bodyLength);
  return out;
}

describe("fuzz: http writer to parser", () => {
  fuzzIt(
    "what the header encoder writes on a connection, the parser reads back, however it is split",
    fc.tuple(sequence, cuts(8), fc.constantFrom<ParserMode>("request", "response")),
    (input, probe) => {
      const [maps, at, mode] = input;
      // keys the framing owns are left out: a caller cannot set them
      const sent = maps.map((m) =>
        Object.fromEntries(Object.entries(m).filter(([k]) => !SKIP.has(canonicalHeaderKey(k) ?? ""))),
      );
      const encoder = new HeaderEncoder(SKIP);
      const text = sent
        .map((h, i) => {
          const body = `body ${i}`;
          const start = mode === "request" ? "POST / HTTP/1.1\r\nHost: h\r\n" : "HTTP/1.1 200 OK\r\n";
          return `${start}Content-Length: ${body.length}\r\n${encoder.encode(h)}\r\n${body}`;
        })
        .join("");
      const got = probe.run(input, () => {
        const heads: Record<string, string>[] = [];
        const bodies: string[] = [];
        const parser = new HttpParser(mode, LIMITS, (head, body) => {
          heads.push(head.header);
          bodies.push(body.toString());
        });
        for (const part of split(Buffer.from(text), at)) parser.execute(Buffer.from(part));
        return { heads, bodies };
      });
      expect(got.ok).toBe(true);
      if (!got.ok) return;
      expect(got.value.bodies).toEqual(sent.map((_, i) => `body ${i}`));
      expect(got.value.heads).toEqual(sent.map((h, i) => expected(h, `body ${i}`.length)));
    },
    { accepts: isFrameError },
  );
});
