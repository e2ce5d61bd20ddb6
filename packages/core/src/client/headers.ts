// The headers go-micro's client codec puts on every request (go-micro's client/rpc_codec.go).
import type { Metadata } from "../metadata.js";

export function requestHeaders(
  metadata: Metadata | undefined,
  service: string,
  endpoint: string,
  contentType: string,
  id: string,
  timeoutMs: number | undefined,
): Record<string, string> {
  const h: Record<string, string> = {};
  if (metadata) for (const [k, v] of metadata) if (k !== "Micro-Topic") h[k] = v;
  if (timeoutMs !== undefined && timeoutMs > 0) h.Timeout = String(Math.round(timeoutMs * 1e6));
  h["Content-Type"] = contentType;
  h.Accept = contentType;
  h["Micro-Id"] = id;
  h["Micro-Service"] = service;
  h["Micro-Method"] = endpoint;
  h["Micro-Endpoint"] = endpoint;
  return h;
}
