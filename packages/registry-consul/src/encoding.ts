// go-micro's consul tag encoding (registry/consul/encoding.go): every payload is zlib-compressed and
// written as lowercase hex behind a one-letter prefix. Go's deflate bytes differ from Node's, so only
// the decoded payloads are comparable; any standard inflater reads both.
import { deflateSync, inflateSync } from "node:zlib";
import type { Endpoint } from "@micro/core";
import { goJSON, parseEndpoint, toGoEndpoint } from "@micro/core/plugin-kit";

export function encodePayload(text: string): string {
  return deflateSync(Buffer.from(text, "utf8")).toString("hex");
}

/** The inflated text, or undefined when the tag is not valid hex+zlib (Go then yields an empty value). */
export function decodePayload(hex: string): string | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  try {
    return inflateSync(Buffer.from(hex, "hex")).toString("utf8");
  } catch {
    return undefined;
  }
}

export function encodeVersion(version: string): string {
  // the raw version bytes, not JSON
  return `v-${encodePayload(version)}`;
}

export function encodeMetadataTags(metadata: Record<string, string>): string[] {
  return Object.entries(metadata).map(([k, v]) => `t-${encodePayload(goJSON({ [k]: v }))}`);
}

export function encodeEndpointTags(endpoints: Endpoint[]): string[] {
  return endpoints.map((e) => `e-${encodePayload(goJSON(toGoEndpoint(e)))}`);
}

export function encodeTags(
  metadata: Record<string, string>,
  endpoints: Endpoint[],
  version: string,
): string[] {
  return [...encodeMetadataTags(metadata), ...encodeEndpointTags(endpoints), encodeVersion(version)];
}

/** The text after `<letter>-` (hex) or `<letter>=` (legacy plain form), or undefined. */
function payload(tag: string, letter: string): { form: string; text: string | undefined } | undefined {
  if (tag.length < 2 || tag[0] !== letter) return undefined;
  const form = tag[1]!;
  if (form === "=") return { form, text: tag.slice(2) };
  if (form === "-") return { form, text: decodePayload(tag.slice(2)) };
  return undefined;
}

export function decodeVersion(tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const p = payload(tag, "v");
    if (p) return p.text ?? "";
  }
  return undefined;
}

// Like Go, only tags of the first form seen (`-` or `=`) count, so a service carrying both encodings
// (an old and a new writer) is read consistently.
function decodeJSONTags(tags: readonly string[], letter: string): unknown[] {
  const out: unknown[] = [];
  let form: string | undefined;
  for (const tag of tags) {
    const p = payload(tag, letter);
    if (!p || (form && p.form !== form)) continue;
    form = p.form;
    if (p.text === undefined) continue;
    try {
      out.push(JSON.parse(p.text));
    } catch {
      // a foreign or damaged tag: skipped, as Go's json.Unmarshal error is ignored there
    }
  }
  return out;
}

export function decodeMetadata(tags: readonly string[]): Record<string, string> {
  const md: Record<string, string> = {};
  for (const kv of decodeJSONTags(tags, "t")) {
    if (!kv || typeof kv !== "object" || Array.isArray(kv)) continue;
    for (const [k, v] of Object.entries(kv)) if (typeof v === "string") md[k] = v;
  }
  return md;
}

export function decodeEndpoints(tags: readonly string[]): Endpoint[] {
  const out: Endpoint[] = [];
  for (const e of decodeJSONTags(tags, "e")) {
    try {
      out.push(parseEndpoint(e));
    } catch {
      // not an endpoint object: skipped
    }
  }
  return out;
}
