// The inputs fuzz properties feed decoders: arbitrary bytes, which mostly test the first few checks,
// and valid encodings mutated the ways real corruption and hostile peers do (flipped bits, boundary
// bytes, length words set to extremes, bytes inserted, dropped, duplicated, cut short, two inputs
// spliced), which reach the code behind those checks.
import fc from "fast-check";

/** Any bytes, up to `maxLength`. */
export function anyBytes(maxLength = 512): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength });
}

// bytes that mean something to some format: zero, varint and sign edges, JSON and HTTP punctuation
const SPECIAL_BYTES = [
  0x00, 0x01, 0x02, 0x05, 0x08, 0x0a, 0x0d, 0x12, 0x1a, 0x20, 0x22, 0x2c, 0x2d, 0x2e, 0x30, 0x3a, 0x3d, 0x5b,
  0x5c, 0x5d, 0x65, 0x7b, 0x7d, 0x7f, 0x80, 0xc0, 0xc1, 0xff,
];
// 32-bit words that make a length prefix lie: empty, tiny, off by the frame size, huge
const SPECIAL_WORDS = [
  0, 1, 2, 4, 5, 8, 9, 13, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x400000, 0x400001, 0x7fffffff,
  0x80000000, 0xffffffff,
];

/** One change to a valid encoding; positions wrap around its length. */
export type Mutation =
  | { op: "flip"; at: number; bit: number }
  | { op: "set"; at: number; byte: number }
  | { op: "word"; at: number; word: number; little: boolean }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; n: number }
  | { op: "truncate"; at: number }
  | { op: "duplicate"; at: number; n: number; to: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({
    op: fc.constant("set" as const),
    at: fc.nat(),
    byte: fc.oneof(fc.constantFrom(...SPECIAL_BYTES), fc.nat(255)),
  }),
  fc.record({
    op: fc.constant("word" as const),
    at: fc.nat(),
    word: fc.oneof(fc.constantFrom(...SPECIAL_WORDS), fc.nat({ max: 0xffffffff })),
    little: fc.boolean(),
  }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    op: fc.constant("duplicate" as const),
    at: fc.nat(),
    n: fc.integer({ min: 1, max: 64 }),
    to: fc.nat(),
  }),
);

function splice(b: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - remove + insert.length);
  out.set(b.subarray(0, at), 0);
  out.set(insert, at);
  out.set(b.subarray(at + remove), at + insert.length);
  return out;
}

/** `b` with one mutation applied (a copy; positions wrap around the length). */
export function mutate(b: Uint8Array, m: Mutation): Uint8Array {
  const len = b.length;
  const at = m.at % (len + 1);
  switch (m.op) {
    case "insert":
      return splice(b, at, 0, m.bytes);
    case "truncate":
      return b.slice(0, at);
    case "delete":
      return splice(b, at, Math.min(m.n, len - at), new Uint8Array(0));
    case "duplicate": {
      const part = b.slice(at, at + m.n);
      return splice(b, m.to % (len + 1), 0, part);
    }
    default:
      break;
  }
  if (len === 0) return b;
  const out = Uint8Array.from(b);
  const i = m.at % len;
  if (m.op === "flip") out[i]! ^= 1 << m.bit;
  else if (m.op === "set") out[i] = m.byte;
  else if (len >= 4) {
    const j = Math.min(i, len - 4);
    new DataView(out.buffer).setUint32(j, m.word, m.little);
  }
  return out;
}

/**
 * Valid encodings (at least one) with 1 to `maxMutations` mutations each, or two of them spliced
 * (the head of one, the tail of another).
 */
export function mutated(seeds: readonly Uint8Array[], maxMutations = 5): fc.Arbitrary<Uint8Array> {
  if (seeds.length === 0) throw new Error("mutated() needs at least one valid encoding");
  const seed = fc.constantFrom(...seeds);
  const changed = fc
    .tuple(seed, fc.array(mutation, { minLength: 1, maxLength: maxMutations }))
    .map(([s, ms]) => ms.reduce(mutate, s));
  const spliced = fc.tuple(seed, seed, fc.nat(), fc.nat()).map(([a, b, i, j]) => {
    const head = a.subarray(0, i % (a.length + 1));
    const tail = b.subarray(j % (b.length + 1));
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  });
  return fc.oneof({ arbitrary: changed, weight: 4 }, { arbitrary: spliced, weight: 1 });
}

/** Up to `maxCuts` cut points for `split` (any numbers: they wrap around the input's length). */
export function cuts(maxCuts = 6): fc.Arbitrary<number[]> {
  return fc.array(fc.nat(), { maxLength: maxCuts });
}

/** `input` cut into consecutive reads at `at` (positions wrap around the length). */
export function split(input: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [...new Set(at.map((p) => p % (input.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(input.subarray(from, p));
    from = p;
  }
  parts.push(input.subarray(from));
  return parts;
}
