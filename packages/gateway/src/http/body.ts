// Reading a request body with a size cap. An oversized body is refused by Content-Length before a
// byte is read, or as soon as the running total passes the cap, so memory stays bounded.
import type { IncomingMessage } from "node:http";
import { MicroError } from "@micro/core";
import { GATEWAY_ID } from "./errors.js";

export function tooLarge(limit: number): MicroError {
  return new MicroError(GATEWAY_ID, `request body larger than ${limit} bytes`, 413);
}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // stop reading: what the client sends next is not buffered
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(MicroError.badRequest(GATEWAY_ID, `reading request body: ${err.message}`));
    };
    const onAborted = () => {
      cleanup();
      reject(new MicroError(GATEWAY_ID, "client closed the request", 499));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}
