// The TXT payload go-micro's mdns registry puts on every node: a JSON object (Go field names, Go's
// HTML escaping), zlib-compressed, hex-encoded and cut into DNS character-strings. There is no
// DNS-SD `key=value` syntax: Go peers read and write only this form.
import { deflateSync, inflateSync } from "node:zlib";
import type { Endpoint } from "@micro/core";
import { goJSON, parseEndpoint, toGoEndpoint } from "@micro/core/plugin-kit";

/** What a node's TXT record carries (go-micro's `mdnsTxt`). */
export interface TxtRecord {
  service: string;
  version: string;
  endpoints: Endpoint[];
  metadata: Record<string, string>;
}

/** A DNS character-string holds at most 255 bytes. */
export const TXT_CHUNK = 255;

// A peer could send a tiny payload that inflates to gigabytes; nothing legitimate comes near this.
const MAX_INFLATED = 4 * 1024 * 1024;

export function encodeTxt(record: TxtRecord): string[] {
  // Key order and names are Go's struct fields (no json tags); Go writes `null` for a nil slice.
  const json = goJSON({
    Metadata: record.metadata,
    Service: record.service,
    Version: record.version,
    Endpoints: record.endpoints.length ? record.endpoints.map(toGoEndpoint) : null,
  });
  return chunk(deflateSync(Buffer.from(json, "utf8")).toString("hex"), TXT_CHUNK);
}

export function chunk(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The JSON inside a TXT record; throws on anything that is not go-micro's encoding. */
export function txtJSON(strings: readonly (string | Uint8Array)[]): string {
  const hex = strings.map((s) => (typeof s === "string" ? s : Buffer.from(s).toString("latin1"))).join("");
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new TypeError("mdns txt: not a hex string");
  }
  return inflateSync(Buffer.from(hex, "hex"), { maxOutputLength: MAX_INFLATED }).toString("utf8");
}

export function decodeTxt(strings: readonly (string | Uint8Array)[]): TxtRecord {
  const v: unknown = JSON.parse(txtJSON(strings));
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new TypeError("mdns txt: not an object");
  const o = v as Record<string, unknown>;
  const service = field(o, "service");
  const version = field(o, "version");
  const endpoints = field(o, "endpoints");
  const metadata = field(o, "metadata");
  if (typeof service !== "string" || !service) throw new TypeError("mdns txt: missing Service");
  if (version !== undefined && version !== null && typeof version !== "string") {
    throw new TypeError("mdns txt: Version is not a string");
  }
  if (endpoints !== undefined && endpoints !== null && !Array.isArray(endpoints)) {
    throw new TypeError("mdns txt: Endpoints is not an array");
  }
  return {
    service,
    version: version ?? "",
    endpoints: Array.isArray(endpoints) ? endpoints.map(parseEndpoint) : [],
    metadata: stringMap(metadata),
  };
}

// Go's encoding/json matches keys case-insensitively, so `service` and `SERVICE` count too.
function field(o: Record<string, unknown>, key: string): unknown {
  for (const k of Object.keys(o)) if (k.toLowerCase() === key) return o[k];
  return undefined;
}

function stringMap(v: unknown): Record<string, string> {
  if (v === null || v === undefined) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new TypeError("mdns txt: Metadata is not an object");
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === "string" ? x : String(x);
  return out;
}
