// Just enough semver to check a plugin's supported core range: `^`, `~`, comparators, `x` ranges,
// `||` and `workspace:` (a workspace link is the workspace's own version, so it always matches).

type Triple = [number, number, number];

function parse(version: string): Triple | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** `1`, `1.2`, `1.x` -> the lowest version and the exclusive upper bound they stand for. */
function partial(text: string): { low: Triple; high?: Triple } | undefined {
  const parts = text.replace(/^v/, "").split(".");
  const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : undefined));
  if (nums[0] === undefined) return parts[0] === "*" || parts[0] === "x" ? { low: [0, 0, 0] } : undefined;
  if (nums[1] === undefined) return { low: [nums[0], 0, 0], high: [nums[0] + 1, 0, 0] };
  if (nums[2] === undefined) return { low: [nums[0], nums[1], 0], high: [nums[0], nums[1] + 1, 0] };
  return { low: [nums[0], nums[1], nums[2]], high: [nums[0], nums[1], nums[2] + 1] };
}

function comparator(c: string, v: Triple): boolean {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(c);
  if (!m) return false;
  const op = m[1] ?? "";
  const p = partial(m[2]!);
  if (!p) return false;
  const { low, high } = p;
  switch (op) {
    case "^": {
      const upper: Triple =
        low[0] > 0 ? [low[0] + 1, 0, 0] : low[1] > 0 ? [0, low[1] + 1, 0] : [0, 0, low[2] + 1];
      return compare(v, low) >= 0 && compare(v, upper) < 0;
    }
    case "~":
      return compare(v, low) >= 0 && compare(v, [low[0], low[1] + 1, 0]) < 0;
    case ">=":
      return compare(v, low) >= 0;
    case ">":
      return high ? compare(v, high) >= 0 : false;
    case "<=":
      return high ? compare(v, high) < 0 : true;
    case "<":
      return compare(v, low) < 0;
    default:
      return compare(v, low) >= 0 && (!high || compare(v, high) < 0);
  }
}

/** Whether `version` lies in `range`; a range this parser cannot read never matches. */
export function satisfies(version: string, range: string): boolean {
  if (range.startsWith("workspace:")) return true;
  const v = parse(version);
  if (!v) return false;
  return range.split("||").some((set) => {
    const parts = set.trim().split(/\s+/).filter(Boolean);
    return parts.length > 0 && parts.every((c) => comparator(c, v));
  });
}
