// Replies → tool results. A reply is returned twice, as MCP asks of tools with structured output: as
// `structuredContent` (parsed) and as a text block holding the reply's own JSON text (every digit
// the service wrote). A micro error is a tool result with `isError` — the agent sees what went wrong
// and can correct its arguments — never a protocol failure: go-micro's error JSON as the text, and
// the error object under `_meta["micro/error"]` for programs.
import { isMicroError, MicroError, type MicroErrorJSON } from "@micro/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isJsonObject, parseJson } from "./json.js";
import { META, type ToolEntry } from "./tools.js";

/** The id of errors this server raises itself (scopes, rate limit, unreadable replies). */
export const MCP_ID = "micro.mcp";

const decoder = new TextDecoder();

export function replyText(data: Uint8Array): string {
  // go-micro's JSON codec ends a message with a newline
  return decoder.decode(data).trimEnd();
}

/** A unary reply as a result. */
export function replyResult(entry: ToolEntry, data: Uint8Array): CallToolResult {
  const text = replyText(data);
  let value: unknown;
  try {
    value = text === "" ? {} : parseJson(text);
  } catch {
    if (!entry.structured) return { content: [{ type: "text", text }] };
    return errorResult(
      new MicroError(MCP_ID, `${entry.service} ${entry.endpoint} replied with no JSON`, 502),
    );
  }
  const structured = entry.wrapsReply ? { result: value } : value;
  if (!isJsonObject(structured)) {
    if (!entry.structured) return { content: [{ type: "text", text }] };
    return errorResult(
      new MicroError(
        MCP_ID,
        `${entry.service} ${entry.endpoint} replied with JSON that is not an object`,
        502,
      ),
    );
  }
  return { content: [{ type: "text", text }], structuredContent: structured };
}

/** A server stream's messages (their JSON texts, in order) as one result. */
export function streamResult(texts: string[], truncated: boolean): CallToolResult {
  const messages = texts.map(messageValue);
  const text = `{"messages":[${texts.map(messageJson).join(",")}]${truncated ? ',"truncated":true' : ""}}`;
  return {
    content: [{ type: "text", text }],
    structuredContent: { messages, ...(truncated ? { truncated: true } : {}) },
  };
}

// A message that is not JSON (a codec of its own) still reaches the agent, as a string.
function messageValue(text: string): unknown {
  try {
    return text === "" ? {} : parseJson(text);
  } catch {
    return text;
  }
}

function messageJson(text: string): string {
  if (text === "") return "{}";
  try {
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

/** Any failure as an error result carrying go-micro's error JSON (code and detail). */
export function errorResult(err: unknown, partial?: string[]): CallToolResult {
  const e = asMicroError(err);
  const json: MicroErrorJSON = e.toJSON();
  const content: CallToolResult["content"] = [{ type: "text", text: e.toString() }];
  // what a stream sent before it failed is still worth having
  if (partial?.length)
    content.push({ type: "text", text: `{"messages":[${partial.map(messageJson).join(",")}]}` });
  return { isError: true, content, _meta: { [META.error]: json } };
}

export function asMicroError(err: unknown): MicroError {
  if (isMicroError(err)) return err;
  return MicroError.internal(MCP_ID, err instanceof Error ? err.message : String(err));
}
