// Which request bodies the gateway forwards, and as what. JSON and protobuf go through as bytes (the
// service's codec reads them); a form is turned into a JSON object of strings, as go-micro's API did.
import { MicroError } from "@micro/core";
import { findCodec } from "@micro/core/plugin-kit";
import { GATEWAY_ID } from "../http/errors.js";

export type BodyKind = "json" | "form" | "other";

/** The media type without parameters, lower-cased; JSON when the client sent none. */
export function mediaType(header: string | undefined): string {
  if (!header) return "application/json";
  const semi = header.indexOf(";");
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

export function kindOf(type: string): BodyKind {
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  return "other";
}

/**
 * How to forward a body. go-micro's gateway forwards any body as it is, and clients lean on that:
 * `curl -d '{...}'` says form-urlencoded and fetch with a string says text/plain. So a body that
 * reads as JSON is JSON whatever its label; a real form becomes a JSON object; a type a codec reads
 * (protobuf...) passes through; anything else is refused before a call is made.
 */
export function bodyKind(type: string, body: Uint8Array): BodyKind {
  const kind = kindOf(type);
  if (kind === "json") return kind;
  if (kind === "other" && findCodec(type)) return kind;
  if (looksLikeJson(body) || body.byteLength === 0) return "json";
  if (kind === "form") return kind;
  throw new MicroError(GATEWAY_ID, `unsupported Content-Type ${type}`, 415);
}

/** Checks JSON text without keeping the parse: the bytes are forwarded, so big integers stay exact. */
export function assertJson(body: Uint8Array): void {
  try {
    JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"));
  } catch (err) {
    throw MicroError.badRequest(GATEWAY_ID, `bad JSON in request body: ${(err as Error).message}`);
  }
}

/** Whether a body starts like a JSON object or array (after white space). */
export function looksLikeJson(body: Uint8Array): boolean {
  for (const b of body) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b || b === 0x5b;
  }
  return false;
}

export function formToJson(body: Uint8Array): Buffer {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(Buffer.from(body).toString("utf8"))) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return Buffer.from(JSON.stringify(out));
}
