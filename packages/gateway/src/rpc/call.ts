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
import { metadataOf } from "./metadata.js";
import { checkScopes } from "./scopes.js";

export interface RpcTarget {
  service: string;
  endpoint: string;
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
  if (ctx.options.auth) await checkScopes(ctx, target, account);
  const type = mediaType(req.headers["content-type"]);
  let data = body ?? (await readBody(req, ctx.options.maxBodyBytes));
  const kind = bodyKind(type, data);
  if (kind === "form") data = formToJson(data);
  else if (kind === "json") {
    if (data.byteLength === 0) data = EMPTY_OBJECT;
    else assertJson(data);
  }
  const contentType = kind === "other" ? type : "application/json";
  const abort = new AbortController();
  // a client that hangs up stops the call instead of leaving it to run out its time
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.once("close", onClose);
  try {
    const reply = await ctx.client.call<Frame>(target.service, target.endpoint, new Frame(data), {
      contentType,
      metadata: metadataOf(req, account),
      timeout: ctx.options.timeout,
      responseType: Frame,
      signal: abort.signal,
    });
    sendBytes(res, 200, reply.data, contentType);
  } finally {
    res.off("close", onClose);
  }
}

const EMPTY_OBJECT = Buffer.from("{}");
