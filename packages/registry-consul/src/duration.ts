// Consul parses check durations with Go's time.ParseDuration and go-micro writes them with
// Duration.String(); we write the same strings so a registration reads identically in Consul's UI.

const UNITS: [number, string][] = [
  [1e6, "ms"],
  [1e3, "µs"],
  [1, "ns"],
];

/** Go's `time.Duration.String()` for a duration in milliseconds: 90000 -> "1m30s", 60000 -> "1m0s". */
export function goDuration(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return "0s";
  const sign = ns < 0 ? "-" : "";
  ns = Math.abs(ns);
  if (ns < 1e9) {
    for (const [size, unit] of UNITS) if (ns >= size) return `${sign}${trim(ns / size)}${unit}`;
  }
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const s = (ns % 6e10) / 1e9;
  if (h > 0) return `${sign}${h}h${m}m${trim(s)}s`;
  if (m > 0) return `${sign}${m}m${trim(s)}s`;
  return `${sign}${trim(s)}s`;
}

function trim(n: number): string {
  // Go prints the fraction without trailing zeros and never in exponent form
  return n.toFixed(9).replace(/\.?0+$/, "");
}

/** go-micro's getDeregisterTTL: TTL + 5 s, and never below Consul's 1 minute minimum (+ 5 s). */
export function deregisterAfter(ttlMs: number): number {
  const splay = 5_000;
  return ttlMs < 60_000 ? 60_000 + splay : ttlMs + splay;
}
