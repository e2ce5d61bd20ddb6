// One HTTP request → one RPC call, bytes in and bytes out: the body is forwarded as a Frame in its
// own Content-Type and the reply's bytes are written back untouched, so the gateway never decodes a
// message (no cost, and int64 beyond 2^53 keeps every digit).
import type { IncomingMessage, ServerResponse } from "node:http";
import { Frame } from "@micro/core";
import type { Account } from "../auth/account.js";
import type { GatewayContext } from "../context.js";
import { readBody } from "../http/body.js";
import { sendBytes } from "../http/reply.js";
import { assertJson, bodyKind, formToJson, mediaType } from "./content-type.js";
import { metadataOf, type RequestHead } from "./metadata.js";
import { checkScopes } from "./scopes.js";

export interface RpcTarget {
  service: string;
  endpoint: string;
}

/** The reply of a forwarded call: bytes in the Content-Type they were sent in. */
export interface ForwardedReply {
  contentType: string;
  data: Uint8Array;
}

/** Classifies the body, calls, and returns the reply's bytes; throws what the caller should answer with. */
export async function callEndpoint(
  ctx: GatewayContext,
  target: RpcTarget,
  head: RequestHead,
  body: Uint8Array,
  account: Account | undefined,
  signal?: AbortSignal,
): Promise<ForwardedReply> {
  if (ctx.options.auth) await checkScopes(ctx, target, account);
  const type = mediaType(head.headers["content-type"]);
  let data = body;
  const kind = bodyKind(type, data);
  if (kind === "form") data = formToJson(data);
  else if (kind === "json") {
    if (data.byteLength === 0) data = EMPTY_OBJECT;
    else assertJson(data);
  }
  const contentType = kind === "other" ? type : "application/json";
  const reply = await ctx.client.call<Frame>(target.service, target.endpoint, new Frame(data), {
    contentType,
    metadata: metadataOf(head, account),
    timeout: ctx.options.timeout,
    responseType: Frame,
    ...(signal ? { signal } : {}),
  });
  return { contentType, data: reply.data };
}

/** Reads the body, calls, writes the reply; throws what the caller should answer with. */
export async function forwardCall(
  ctx: GatewayContext,
  target: RpcTarget,
  req: IncomingMessage,
  res: ServerResponse,
  account: Account | undefined,
  body?: Uint8Array,
): Promise<void> {
  const data = body ?? (await readBody(req, ctx.options.maxBodyBytes));
  const abort = new AbortController();
  // a client that hangs up stops the call instead of leaving it to run out its time
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once("close", onClose);
  try {
    const reply = await callEndpoint(ctx, target, req, data, account, abort.signal);
    sendBytes(res, 200, reply.data, reply.contentType);
  } finally {
    res.off("close", onClose);
  }
}

const EMPTY_OBJECT = Buffer.from("{}");
