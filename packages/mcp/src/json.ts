// Reply JSON → a value for `structuredContent`, keeping 64-bit integers exact. Go services write int64
// and uint64 as bare JSON numbers, which a JS number rounds beyond 2^53; such a number is kept as
// JSON.rawJSON of its source text, which JSON.stringify (the SDK's serialiser) writes back digit for
// digit. Where the runtime lacks rawJSON the number is rounded, as any JSON.parse would.

interface RawJson {
  rawJSON?: (text: string) => unknown;
}

interface ReviverContext {
  source?: string;
}

const rawJSON = (JSON as unknown as RawJson).rawJSON;

export function parseJson(text: string): unknown {
  return JSON.parse(text, function revive(this: unknown, _key: string, value: unknown, ...rest: unknown[]) {
    const ctx = rest[0] as ReviverContext | undefined;
    if (
      rawJSON &&
      typeof value === "number" &&
      !Number.isSafeInteger(value) &&
      typeof ctx?.source === "string" &&
      /^-?\d+$/.test(ctx.source)
    ) {
      return rawJSON(ctx.source);
    }
    return value;
  } as (key: string, value: unknown) => unknown);
}

export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v) && !isRaw(v);
}

function isRaw(v: object): boolean {
  return Object.getPrototypeOf(v) === null && "rawJSON" in v;
}
