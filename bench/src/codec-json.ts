// Micro-benchmark of the JSON codec's plain (untyped) decode and encode, before and after exact
// int64 decoding: `node bench/dist/codec-json.js [--ms=400] [--rounds=7]`. One process, no I/O;
// each case runs old and new alternately for --rounds rounds of --ms each and reports the median.
//
// "old" is the decoder as it was (text -> JSON.parse, so integers beyond 2^53 are rounded); "new" is
// @micro/codec-json's jsonCodec.unmarshal (JSON.parse, then a walk over the values; only when a
// number beyond 2^53 is present, a scan for such integer literals and a second parse). Encoding is
// the same code in both: "old" encodes what the old decoder gave (rounded numbers), "new" the exact
// bigints (which take JSON.stringify's replacer path).
import { jsonCodec } from "@micro/codec-json";

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, "").split("=") as [string, string]));
const MS = Number(args.get("ms") ?? 400);
const ROUNDS = Math.max(1, Number(args.get("rounds") ?? 7));

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

// The decoder before this change, step for step as jsonCodec.unmarshal had it for plain values
// (go-json.ts/json-codec.ts at the previous commit): text, blank check, type check, JSON.parse.
const oldCodec = {
  unmarshal(data: Uint8Array, type?: { fromObject?: unknown; toObject?: unknown }): unknown {
    const text = utf8Decoder.decode(data);
    const typed = typeof type?.fromObject === "function" && typeof type.toObject === "function";
    if (text.trim().length === 0) return {};
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`json: invalid body (${data.length} bytes): ${(err as Error).message}`);
    }
    if (!typed) return value;
    throw new Error("typed messages are not compared here");
  },
};
const oldUnmarshal = (data: Uint8Array) => oldCodec.unmarshal(data);

const MESSAGES: Record<string, string> = {
  "hello (bench request)": '{"name":"John"}\n',
  "typical (8 fields)":
    '{"id":"u-1842","name":"John Smith","email":"john@example.com","age":42,"balance":1520.75,"active":true,"tags":["a","b"],"created":"2026-12-04T16:14:40Z"}\n',
  "typical + 2 int64 > 2^53":
    '{"id":9007199254740993,"name":"John Smith","email":"john@example.com","age":42,"balance":1520.75,"active":true,"tags":["a","b"],"nonce":-9223372036854775807}\n',
  "64 KiB string": `{"name":"${"x".repeat(65536)}"}\n`,
  "500 records, no big ints": `${JSON.stringify({
    items: Array.from({ length: 500 }, (_, i) => ({ id: i * 1000003, name: `item ${i}`, price: i * 1.25 })),
  })}\n`,
};

let sink: unknown;

/** ns per call of f, over about `ms` milliseconds. */
function time(f: () => unknown, ms: number): number {
  let n = 0;
  let batch = 64;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sink = f();
    n += batch;
    if (batch < 65536) batch *= 2;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function compare(label: string, old: () => unknown, neu: () => unknown): string {
  time(old, MS / 2);
  time(neu, MS / 2);
  const o: number[] = [];
  const m: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    o.push(time(old, MS));
    m.push(time(neu, MS));
  }
  const a = median(o);
  const b = median(m);
  const fmt = (ns: number) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(0)} ns`);
  return `| ${label} | ${fmt(a)} | ${fmt(b)} | ${(b / a).toFixed(2)}× |`;
}

const rows: string[] = [];
for (const [name, text] of Object.entries(MESSAGES)) {
  const data = utf8.encode(text);
  rows.push(
    compare(
      `decode ${name}`,
      () => oldUnmarshal(data),
      () => jsonCodec.unmarshal(data),
    ),
  );
}
for (const [name, text] of Object.entries(MESSAGES)) {
  const data = utf8.encode(text);
  const oldValue = oldUnmarshal(data);
  const newValue = jsonCodec.unmarshal(data);
  rows.push(
    compare(
      `encode ${name}`,
      () => jsonCodec.marshal(oldValue),
      () => jsonCodec.marshal(newValue),
    ),
  );
}

console.log(
  `Node ${process.version}; median of ${ROUNDS} rounds of ${MS} ms per cell, old and new alternating`,
);
console.log("");
console.log("| case | old | new | new / old |");
console.log("| --- | ---: | ---: | ---: |");
for (const r of rows) console.log(r);
if (sink === Symbol.for("never")) console.log(sink);
