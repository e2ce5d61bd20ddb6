// Sets of sequence numbers as sorted [first, last] ranges: what a publisher acked and a subscriber
// received travel between processes in a few numbers even when they are tens of thousands.
export type Ranges = [number, number][];

/** The ranges of the marked indexes of `bits` (non-zero bytes). */
export function toRanges(bits: Uint8Array, length = bits.length): Ranges {
  const out: Ranges = [];
  let start = -1;
  for (let i = 0; i <= length; i++) {
    const on = i < length && bits[i] !== 0;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  }
  return out;
}

export function countRanges(r: Ranges): number {
  return r.reduce((n, [a, b]) => n + b - a + 1, 0);
}

/** A bitmap of `length` with the ranges marked. */
export function fromRanges(r: Ranges, length: number): Uint8Array {
  const bits = new Uint8Array(length);
  for (const [a, b] of r) bits.fill(1, a, Math.min(b + 1, length));
  return bits;
}

/** How many numbers are in `a` and not in `b`. */
export function countMissing(a: Ranges, b: Ranges): number {
  return countRanges(difference(a, b));
}

/** The ranges of numbers in `a` and not in `b`. */
export function difference(a: Ranges, b: Ranges): Ranges {
  const length = Math.max(0, ...a.map(([, y]) => y + 1), ...b.map(([, y]) => y + 1));
  const inA = fromRanges(a, length);
  const inB = fromRanges(b, length);
  for (let i = 0; i < length; i++) if (inB[i]) inA[i] = 0;
  return toRanges(inA, length);
}
