// Fuzzing the multiplexed path's frame reader and header table (issue 18): any bytes, in any reads,
// delivered in any slices, give frames or a FrameError (the connection then closes), each input in
// under 100 ms; the reads and slices never change the frames; and what FrameBatch and the header
// encoder write comes back exactly. MICRO_FUZZ_RUNS sets the budget.
import { anyBytes, cuts, fc, fuzzIt, mutated, split, testDecoderFuzz } from "@micro/testing/fuzz";
import { describe, expect } from "vitest";
import { FrameError } from "../src/errors.js";
import { canonicalHeaderKey } from "../src/header-keys.js";
import { CLOSE, CREDIT, DATA, FrameBatch, FrameReader, GOAWAY, PREFACE } from "../src/mux-frame.js";
import { HeaderTableDecoder, HeaderTableEncoder } from "../src/mux-header.js";
import { cleanValue } from "../src/writer.js";

const MAX_FRAME = 1 << 20;
const isFrameError = (err: unknown) => err instanceof FrameError;

interface Sent {
  type: number;
  id: number;
  n: number;
  header: Record<string, string>;
  body: Uint8Array;
}

/** The bytes a peer writes for `frames`, one header table for the connection. */
function encode(frames: readonly Sent[], preface = true): Uint8Array {
  const batch = new FrameBatch();
  const table = new HeaderTableEncoder();
  for (const f of frames) {
    const header = f.type === DATA ? table.encode(f.header) : Buffer.alloc(0);
    batch.add(f.type, f.id, f.n, header, f.type === DATA ? f.body : new Uint8Array(0));
  }
  return Buffer.concat([...(preface ? [PREFACE] : []), ...batch.take()]);
}

/** The frames read from `reads`, delivered `slices[i]` at a time as the connection does. */
function read(reads: readonly Uint8Array[], slices: readonly number[], preface: boolean) {
  const frames: unknown[] = [];
  const table = new HeaderTableDecoder();
  const reader = new FrameReader(preface, MAX_FRAME, (type, id, n, frame, start, end, body) => {
    // decoded in the sink, as the connection does: every DATA frame updates the table
    const header = type === DATA ? table.decode(frame, start, end) : null;
    frames.push([type, id, type === DATA ? null : n, header, body.toString("hex")]);
  });
  let error: number | undefined;
  let turn = 0;
  try {
    for (const r of reads) {
      reader.push(Buffer.from(r));
      for (let n = reader.complete(); n > 0; n = reader.complete()) {
        reader.deliver(slices.length ? 1 + (slices[turn++ % slices.length]! % 4) : Infinity);
      }
    }
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    error = err.code;
  }
  return { frames, error };
}

const SEED_FRAMES: Sent[] = [
  {
    type: DATA,
    id: 1,
    n: 0,
    header: { "content-type": "application/json", "Micro-Id": "1" },
    body: Buffer.from("{}"),
  },
  {
    type: DATA,
    id: 1,
    n: 0,
    header: { "content-type": "application/json", "Micro-Id": "2" },
    body: Buffer.from("[]"),
  },
  { type: CREDIT, id: 1, n: 65536, header: {}, body: new Uint8Array(0) },
  { type: DATA, id: 2, n: 0, header: {}, body: new Uint8Array(0) },
  { type: CLOSE, id: 1, n: 0, header: {}, body: new Uint8Array(0) },
  { type: GOAWAY, id: 0, n: 0, header: {}, body: new Uint8Array(0) },
];
const SEEDS = [
  encode(SEED_FRAMES),
  encode(SEED_FRAMES.slice(0, 2), false),
  // a frame over the reader's 64 KiB threshold, filled in place as it arrives
  encode([{ type: DATA, id: 3, n: 0, header: { A: "b" }, body: Buffer.alloc(70_000, 7) }]),
];

describe("fuzz: mux frame reader", () => {
  const inputs = fc.tuple(
    fc.oneof(anyBytes(), mutated(SEEDS)),
    cuts(),
    fc.array(fc.nat(), { maxLength: 4 }),
    fc.boolean(),
  );

  fuzzIt(
    "any bytes in any reads and slices: frames or a FrameError, each input under the time limit",
    inputs,
    (input, probe) => {
      probe.run(input, ([bytes, at, slices, preface]) => read(split(bytes, at), slices, preface));
    },
    { accepts: isFrameError },
  );

  fuzzIt(
    "the reads and the slices change nothing",
    inputs,
    (input, probe) => {
      const whole = probe.run(input, ([bytes, , , preface]) => read([bytes], [], preface));
      const parts = probe.run(input, ([bytes, at, slices, preface]) =>
        read(split(bytes, at), slices, preface),
      );
      if (!whole.ok || !parts.ok) return;
      // a broken stream fails however it is read, though not always on the same frame: the reader
      // looks at every buffered length before it delivers, so which fault it meets first depends on
      // what had arrived. A clean stream must come out the same.
      expect(parts.value.error === undefined).toBe(whole.value.error === undefined);
      if (whole.value.error === undefined) expect(parts.value.frames).toEqual(whole.value.frames);
    },
    { accepts: isFrameError },
  );
});

const key = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const value = fc.string({ unit: fc.constantFrom(..." \tabcXYZ019:;,/=\"'()é✓🌍\r\n"), maxLength: 16 });
const frame: fc.Arbitrary<Sent> = fc.oneof(
  fc.record({
    type: fc.constant(DATA),
    id: fc.nat({ max: 0xffffffff }),
    n: fc.constant(0),
    header: fc.dictionary(key, value, { maxKeys: 5 }),
    body: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({
    type: fc.constantFrom(CLOSE, CREDIT, GOAWAY),
    id: fc.nat({ max: 0xffffffff }),
    n: fc.nat({ max: 0xffffffff }),
    header: fc.constant({}),
    body: fc.constant(new Uint8Array(0)),
  }),
);

/** What the reader must hand out for `f`: canonical keys, values as the HTTP path writes them. */
function expected(f: Sent): unknown {
  if (f.type !== DATA) return [f.type, f.id, f.n, null, ""];
  const header: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.header)) header[canonicalHeaderKey(k)!] = cleanValue(v);
  return [f.type, f.id, null, header, Buffer.from(f.body).toString("hex")];
}

describe("fuzz: mux writer to reader", () => {
  fuzzIt(
    "what FrameBatch and the header encoder write comes back exactly, in any reads",
    fc.tuple(fc.array(frame, { maxLength: 12 }), cuts(8), fc.array(fc.nat(), { maxLength: 4 })),
    (input, probe) => {
      const [frames, at, slices] = input;
      const got = probe.run(input, () => read(split(encode(frames), at), slices, true));
      expect(got.ok && got.value).toEqual({ frames: frames.map(expected), error: undefined });
    },
    { accepts: isFrameError },
  );
});

// a header block on a table that already holds two keys (so SAME and SET entries can refer to them)
const primer = new HeaderTableEncoder();
const PRIMED = Buffer.from(primer.encode({ A: "1", B: "2" }));
testDecoderFuzz("mux header table", {
  accepts: isFrameError,
  decode: (bytes) => {
    const table = new HeaderTableDecoder();
    table.decode(PRIMED, 0, PRIMED.length);
    const block = Buffer.from(bytes);
    // twice: what the first pass adds to the table, the second may use
    return [table.decode(block, 0, block.length), table.decode(block, 0, block.length)];
  },
  seeds: [
    Buffer.from(primer.encode({ A: "1", B: "3", C: "" })),
    Buffer.from(
      new HeaderTableEncoder().encode({ "Content-Type": "application/json", "Micro-Id": "1", X: "é✓" }),
    ),
  ],
});
