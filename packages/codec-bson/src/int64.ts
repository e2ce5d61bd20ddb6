// The bson package silently wraps a bigint outside the int64 range (2n ** 70n is written as 0);
// a codec must refuse it instead of sending a different number.
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (Array.isArray(v)) return true;
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Throws a RangeError naming the path of the first bigint that does not fit an int64. */
export function checkInt64(value: unknown, path = "$", seen = new Set<object>()): void {
  if (typeof value === "bigint") {
    if (value < MIN || value > MAX) throw new RangeError(`${path}: ${value} does not fit a BSON int64`);
    return;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) checkInt64(v, `${path}.${String(k)}`, seen);
    return;
  }
  // cycles are left for bson to report (it names them); `seen` only stops the walk
  if (!isContainer(value) || seen.has(value)) return;
  seen.add(value);
  for (const [k, v] of Object.entries(value)) checkInt64(v, `${path}.${k}`, seen);
}
