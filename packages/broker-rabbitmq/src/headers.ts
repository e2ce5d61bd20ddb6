// Broker headers travel as an AMQP field table. We write strings only, as go-micro does; what other
// publishers put there (numbers, booleans, timestamps, byte arrays, nested tables) is read back as
// the string Go's fmt would roughly print, because a broker message header is string -> string.
import type { Options } from "amqplib";

const CONTENT_TYPE = "Content-Type";
export const TOPIC_HEADER = "Micro-Topic";

/** AMQP properties for a broker message: the headers table, plus Content-Type as the property too. */
export function publishProperties(header: Record<string, string>): Options.Publish {
  const headers: Record<string, string> = {};
  for (const k in header) headers[k] = String(header[k]);
  const contentType = headers[CONTENT_TYPE];
  return contentType === undefined ? { headers } : { headers, contentType };
}

function asString(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("utf8");
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    // amqplib keeps the AMQP type of some values: {"!": "type", value}
    const typed = v as { "!"?: unknown; value?: unknown };
    if (typed["!"] !== undefined && "value" in typed) return asString(typed.value);
    return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  }
  return String(v);
}

/** The broker message header of a delivery; `Micro-Topic` falls back to the routing key as in Go. */
export function deliveryHeader(
  table: Record<string, unknown> | undefined,
  contentType: unknown,
  routingKey: string,
): Record<string, string> {
  const header: Record<string, string> = {};
  if (table) for (const k in table) header[k] = asString(table[k]);
  // a publisher that set only the AMQP property (not the header) still tells us the content type
  if (header[CONTENT_TYPE] === undefined && typeof contentType === "string" && contentType) {
    header[CONTENT_TYPE] = contentType;
  }
  if (header[TOPIC_HEADER] === undefined) header[TOPIC_HEADER] = routingKey;
  return header;
}
