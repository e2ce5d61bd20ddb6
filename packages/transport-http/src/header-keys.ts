// Header keys in Go's canonical form (`micro-id` -> `Micro-Id`). The same few keys arrive on every
// message, so results are memoized: the hot path is one Map lookup instead of a regex and a rebuild.
import { canonicalKey } from "@micro/core/plugin-kit";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Bounded so a peer sending endless distinct keys cannot grow memory; misses still work, just slower.
const MAX_CACHED = 4096;
const cache = new Map<string, string>();

/** The canonical form of a header key, or undefined when it is not a valid HTTP token. */
export function canonicalHeaderKey(raw: string): string | undefined {
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  if (!TOKEN.test(raw)) return undefined;
  const key = canonicalKey(raw);
  if (cache.size < MAX_CACHED) cache.set(raw, key);
  return key;
}
