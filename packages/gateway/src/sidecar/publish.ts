// POST /broker/{topic} (and go-micro v5 `micro api`'s /micro/broker/{topic}): the body is published
// as it is, with go-micro's headers (Content-Type, Micro-Topic, Micro-ID), so Go and TypeScript
// subscribers decode it with the codec the Content-Type names. The answer is v5's:
// `{"status":"ok","topic":"..."}` followed by a newline (Go's json.Encoder).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Frame } from "@micro/core";
import { resolveCodec } from "@micro/core/plugin-kit";
import type { GatewayContext } from "../context.js";
import { readBody } from "../http/body.js";
import { sendBytes } from "../http/reply.js";
import { mediaType } from "../rpc/content-type.js";
import { brokerOf, connectBroker } from "./subscribers.js";

export async function publish(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  topic: string,
): Promise<void> {
  const body = await readBody(req, ctx.options.maxBodyBytes);
  // parameters (charset) dropped: Go subscribers look their codec up by the bare media type
  const contentType = mediaType(req.headers["content-type"]);
  if (await hasCodec(contentType)) {
    await ctx.client.publish(topic, new Frame(body), { contentType });
  } else {
    // no codec here for this type (text/plain, say): the client would refuse it, but the bytes need
    // none, so they go to the broker with the very headers the client would have set
    const broker = brokerOf(ctx);
    await connectBroker(broker);
    await broker.publish(topic, {
      header: { "Content-Type": contentType, "Micro-Topic": topic, "Micro-ID": randomUUID() },
      body,
    });
  }
  sendBytes(res, 200, `${JSON.stringify({ status: "ok", topic })}\n`);
}

function hasCodec(contentType: string): Promise<boolean> {
  return resolveCodec(contentType).then(
    () => true,
    () => false,
  );
}
