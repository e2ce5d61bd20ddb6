// Writing answers. Bodies are built once as bytes so Content-Length is exact and one write suffices.
import type { ServerResponse } from "node:http";
import type { MicroError } from "@micro/core";
import { httpStatus } from "./errors.js";

const JSON_TYPE = "application/json";

export function sendBytes(
  res: ServerResponse,
  status: number,
  body: Uint8Array | string,
  contentType = JSON_TYPE,
  headers?: Record<string, string>,
): void {
  if (res.headersSent || res.writableEnded) return;
  const data = typeof body === "string" ? Buffer.from(body) : body;
  // writeHead with the headers at once skips the response's header map (set by CORS, if any, stays)
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": data.byteLength, ...headers });
  res.end(data);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendBytes(res, status, JSON.stringify(value));
}

/** go-micro's error JSON with the error's HTTP status; the Micro-Error header mirrors the body. */
export function sendError(res: ServerResponse, err: MicroError, headers?: Record<string, string>): void {
  sendBytes(res, httpStatus(err), err.toString(), JSON_TYPE, headers);
}
