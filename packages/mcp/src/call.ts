// One tool call → one RPC. Arguments are sent as JSON bytes and the reply taken as bytes (a Frame),
// as the gateway forwards calls: nothing re-encodes a message on the way, so both TS and Go services
// receive exactly the JSON the agent wrote.
import { type Client, Frame, MicroError } from "@micro/core";
import type { CallToolResult, ProgressToken } from "@modelcontextprotocol/sdk/types.js";
import { errorResult, MCP_ID, replyResult, replyText, streamResult } from "./results.js";
import type { ToolEntry } from "./tools.js";

export interface CallSettings {
  client: Client;
  /** Whole-call timeout of a unary call, ms. */
  timeout: number;
  /** Longest a stream may run for one tool call, ms; then it is closed and its result truncated. */
  streamTimeout: number;
  /** Messages of a server stream one result holds; the stream is closed after them. */
  maxStreamMessages: number;
}

export interface CallRequest {
  arguments: Record<string, unknown> | undefined;
  /** Sent to the service as call metadata (`Micro-Account` when the caller is known). */
  metadata: Record<string, string>;
  /** The client's cancellation (notifications/cancelled, or its connection going away). */
  signal: AbortSignal;
  /** When set, each stream message is also sent as notifications/progress. */
  progress?: { token: ProgressToken; send(progress: number, message: string): Promise<void> };
}

const CONTENT_TYPE = "application/json";

export async function callTool(s: CallSettings, entry: ToolEntry, req: CallRequest): Promise<CallToolResult> {
  const args = req.arguments ?? {};
  let body: unknown = args;
  if (entry.wrapsRequest) {
    if (!("request" in args)) {
      return errorResult(MicroError.badRequest(MCP_ID, `${entry.tool.name} needs its "request" argument`));
    }
    body = args.request;
  }
  const frame = new Frame(Buffer.from(JSON.stringify(body ?? {})));
  return entry.stream ? serverStream(s, entry, frame, req) : unary(s, entry, frame, req);
}

async function unary(
  s: CallSettings,
  entry: ToolEntry,
  frame: Frame,
  req: CallRequest,
): Promise<CallToolResult> {
  try {
    const reply = await s.client.call<Frame>(entry.service, entry.endpoint, frame, {
      contentType: CONTENT_TYPE,
      responseType: Frame,
      timeout: s.timeout,
      metadata: req.metadata,
      signal: req.signal,
    });
    return replyResult(entry, reply.data);
  } catch (err) {
    return errorResult(err);
  }
}

async function serverStream(
  s: CallSettings,
  entry: ToolEntry,
  frame: Frame,
  req: CallRequest,
): Promise<CallToolResult> {
  const texts: string[] = [];
  let truncated = false;
  // A stream may not end by itself (a watch): at streamTimeout it is closed and what arrived is the
  // result, marked truncated, rather than an error that would throw the messages away.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), s.streamTimeout);
  const stream = s.client.stream<Frame>(entry.service, entry.endpoint, frame, {
    contentType: CONTENT_TYPE,
    responseType: Frame,
    metadata: req.metadata,
    signal: AbortSignal.any([req.signal, deadline.signal]),
  });
  try {
    // a go-micro stream of unknown kind: its one message is sent, then our side is closed, so a
    // server stream goes on as usual and a bidi handler reading until EOF ends after its replies
    if (entry.stream === "unknown") await stream.closeSend();
    for await (const message of stream) {
      const text = replyText(message.data);
      texts.push(text);
      // progress must increase with each notification: the message count does
      await req.progress?.send(texts.length, text).catch(() => {});
      if (texts.length >= s.maxStreamMessages) {
        truncated = true;
        break;
      }
    }
    if (deadline.signal.aborted) truncated = true;
  } catch (err) {
    if (!deadline.signal.aborted) return errorResult(err, texts);
    truncated = true;
  } finally {
    clearTimeout(timer);
    await stream.close().catch(() => {});
  }
  if (req.progress && texts.length) await settle();
  return streamResult(texts, truncated);
}

// The SDK's client handles a notification a microtask after reading it but a response at once, and
// forgets a request's progress handler with its response: progress read in the same chunk as the
// result is dropped (modelcontextprotocol/typescript-sdk#2580). A pause before the result lets the
// client read the last notifications on their own.
const SETTLE_MS = 10;

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
