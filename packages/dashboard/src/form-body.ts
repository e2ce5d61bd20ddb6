// A small urlencoded form body (the login form), read with a size cap.
import type { IncomingMessage } from "node:http";
import { MicroError } from "@micro/core";

export async function readForm(req: IncomingMessage, maxBytes: number): Promise<URLSearchParams> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) throw new MicroError("go.micro.dashboard", "form too large", 413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBytes) throw new MicroError("go.micro.dashboard", "form too large", 413);
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
