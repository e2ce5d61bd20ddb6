// Values the bson package silently writes as something else, which a codec must refuse instead of
// sending a different value: a bigint outside the int64 range (2n ** 70n is written as 0) and an
// invalid Date (written as the epoch, 1970-01-01; a datetime BSON carries beyond JavaScript's Date
// range decodes to one).
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (Array.isArray(v)) return true;
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Throws a RangeError naming the path of the first value bson would write as another. */
export function checkEncodable(value: unknown, path = "$", seen = new Set<object>()): void {
  if (typeof value === "bigint") {
    if (value < MIN || value > MAX) throw new RangeError(`${path}: ${value} does not fit a BSON int64`);
    return;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RangeError(`${path}: an invalid Date has no BSON datetime`);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) checkEncodable(v, `${path}.${String(k)}`, seen);
    return;
  }
  // cycles are left for bson to report (it names them); `seen` only stops the walk
  if (!isContainer(value) || seen.has(value)) return;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) checkEncodable(v, `${path}.${k}`, seen);
}
