// A broker message as a subscriber over HTTP gets it. The envelope is one line of JSON text:
//   {"topic":"t","header":{...},"body":<body>}
// where a JSON body is embedded as it was sent (never re-serialised, so int64 keeps every digit), any
// other UTF-8 body is a JSON string, and other bytes are base64 with "encoding":"base64".
import { isUtf8 } from "node:buffer";
import type { BrokerMessage } from "@micro/core";

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

export function isText(body: Uint8Array): boolean {
  return isUtf8(body);
}

function jsonText(body: Buffer): string | undefined {
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  // Line breaks in valid JSON can only be whitespace between tokens (a string may not hold a raw
  // one), so they can go: the envelope must be one line to be one SSE `data:` field.
  return /[\r\n]/.test(text) ? text.replace(/[\r\n]+/g, " ") : text;
}

export function envelope(topic: string, message: BrokerMessage): string {
  const body = asBuffer(message.body);
  const head = `{"topic":${JSON.stringify(topic)},"header":${JSON.stringify(message.header)},"body":`;
  if (!isUtf8(body)) return `${head}${JSON.stringify(body.toString("base64"))},"encoding":"base64"}`;
  return `${head}${jsonText(body) ?? JSON.stringify(body.toString("utf8"))}}`;
}
