// go-micro's legacy json-rpc envelopes (codec/jsonrpc), byte for byte:
//   request  {"params":[<req>],"id":"<id>","method":"<Handler.Method>"}\n
//   response {"id":"<id>","result":<rsp or null>,"error":null|"<error string>"}\n
import { MicroError } from "@micro/core";
import { type CodecHeader, goJSON, MessageKind } from "@micro/core/plugin-kit";
import { idText, parseExact, stringifyExact } from "./exact-json.js";

const ID = "go.micro.codec";
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function bad(detail: string): MicroError {
  return MicroError.badRequest(ID, `json-rpc: ${detail}`);
}

/** The inner body as JSON text to embed; an empty body is Go's nil (`null`). */
function innerText(body: Uint8Array, what: string): string {
  let text: string;
  try {
    text = utf8Decoder.decode(body).trim();
  } catch (err) {
    throw MicroError.internal(ID, `json-rpc: ${what} is not UTF-8: ${reason(err)}`);
  }
  if (!text) return "null";
  try {
    JSON.parse(text);
  } catch (err) {
    // embedding it would produce an envelope no peer can parse
    throw MicroError.internal(ID, `json-rpc: ${what} is not one JSON value: ${reason(err)}`);
  }
  return text;
}

export function wrapEnvelope(kind: MessageKind, header: CodecHeader, body: Uint8Array): Uint8Array {
  const id = goJSON(header.id ?? "");
  if (kind === MessageKind.Request) {
    const method = goJSON(header.method || header.endpoint || "");
    return utf8.encode(`{"params":[${innerText(body, "request body")}],"id":${id},"method":${method}}\n`);
  }
  if (kind === MessageKind.Response || kind === MessageKind.Error) {
    // an error reply carries no result, as Go's server writes it
    if (header.error) return utf8.encode(`{"id":${id},"result":null,"error":${goJSON(header.error)}}\n`);
    return utf8.encode(`{"id":${id},"result":${innerText(body, "response body")},"error":null}\n`);
  }
  // events travel as bare JSON
  return body;
}

function parseObject(data: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseExact(utf8Decoder.decode(data));
  } catch (err) {
    throw bad(`invalid envelope (${data.length} bytes): ${reason(err)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad(`envelope must be a JSON object, got ${Array.isArray(value) ? "an array" : String(value)}`);
  }
  return value as Record<string, unknown>;
}

function envelopeId(o: Record<string, unknown>): string {
  const id = idText(o.id);
  if (id === undefined) throw bad("envelope id must be a string, a number or null");
  return id;
}

function bodyOf(value: unknown): Uint8Array {
  return utf8.encode(`${stringifyExact(value)}\n`);
}

function unwrapRequest(data: Uint8Array): { header: CodecHeader; body: Uint8Array } {
  const o = parseObject(data);
  const { params, method } = o;
  if (typeof method !== "string" || !method) throw bad("request envelope needs a method string");
  // go-micro's server decodes params as a one-element array
  if (!Array.isArray(params) || params.length !== 1) {
    throw bad(`request params must be an array of exactly one value, got ${stringifyExact(params)}`);
  }
  const header: CodecHeader = { id: envelopeId(o), method, endpoint: method };
  return { header, body: bodyOf(params[0]) };
}

function unwrapResponse(data: Uint8Array): { header: CodecHeader; body: Uint8Array } {
  const o = parseObject(data);
  // a bare value that happens to be an object is not a reply: Go's server always writes both keys
  if (!("result" in o) && !("error" in o)) throw bad("response envelope has neither result nor error");
  const header: CodecHeader = { id: envelopeId(o) };
  const { error } = o;
  if (error !== null && error !== undefined) {
    if (typeof error !== "string")
      throw bad(`response error must be a string or null, got ${stringifyExact(error)}`);
    // Go's client does the same for an empty error string
    header.error = error || "unspecified error";
    return { header, body: new Uint8Array(0) };
  }
  return { header, body: bodyOf(o.result) };
}

export function unwrapEnvelope(
  kind: MessageKind,
  data: Uint8Array,
): { header: CodecHeader; body: Uint8Array } {
  if (kind === MessageKind.Request) return unwrapRequest(data);
  if (kind === MessageKind.Response || kind === MessageKind.Error) return unwrapResponse(data);
  return { header: { id: "" }, body: data };
}
