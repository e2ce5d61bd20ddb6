// Metadata travels as HTTP headers, which Go canonicalizes (`micro-id` -> `Micro-Id`). Keys are
// compared case-insensitively and stored in canonical form so that what we send equals what Go sends.

const tokenChar = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Go's textproto.CanonicalMIMEHeaderKey. Keys with invalid characters are returned unchanged. */
export function canonicalKey(key: string): string {
  if (!tokenChar.test(key)) return key;
  let out = "";
  let upper = true;
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === "-";
  }
  return out;
}

export type MetadataInit = Metadata | Record<string, string> | Iterable<readonly [string, string]>;

export class Metadata implements Iterable<[string, string]> {
  readonly #map = new Map<string, string>();

  constructor(init?: MetadataInit) {
    if (!init) return;
    if (init instanceof Metadata) {
      for (const [k, v] of init) this.#map.set(k, v);
    } else if (Symbol.iterator in Object(init)) {
      for (const [k, v] of init as Iterable<readonly [string, string]>) this.set(k, v);
    } else {
      for (const [k, v] of Object.entries(init as Record<string, string>)) this.set(k, v);
    }
  }

  /** Wraps headers whose keys are already canonical (as transports deliver them) without re-checking. */
  static fromHeaders(headers: Record<string, string>): Metadata {
    const md = new Metadata();
    for (const k in headers) md.#map.set(k, headers[k]!);
    return md;
  }

  get(key: string): string | undefined {
    return this.#map.get(key) ?? this.#map.get(canonicalKey(key));
  }
  set(key: string, value: string): this {
    this.#map.set(canonicalKey(key), String(value));
    return this;
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  delete(key: string): boolean {
    return this.#map.delete(canonicalKey(key));
  }
  get size(): number {
    return this.#map.size;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#map);
  }
  /** A copy with `other`'s entries written over this one's. */
  merge(other?: MetadataInit): Metadata {
    const out = new Metadata(this);
    if (other) for (const [k, v] of new Metadata(other)) out.set(k, v);
    return out;
  }
}
