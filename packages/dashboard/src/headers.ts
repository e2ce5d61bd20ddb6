// The headers every dashboard answer carries. The policy allows scripts and styles from the gateway's
// own origin only (no inline code at all, so an escaping mistake cannot run script), fetches and
// WebSockets back to it, and no framing (clickjacking).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Html } from "./html.js";

// a Host header fit to name in the policy: a hostname or bracketed IPv6, and a port
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function contentSecurityPolicy(req: IncomingMessage): string {
  // 'self' covers same-origin WebSockets in current browsers; older Safari needs them named
  const host = req.headers.host ?? "";
  const sockets = HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(req: IncomingMessage): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(req),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

/** A page: never cached (it shows the registry of this moment), with the security headers. */
export function sendHtml(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  page: Html,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.writableEnded) return;
  const body = Buffer.from(`<!doctype html>\n${page}`);
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": body.byteLength,
    "Cache-Control": "no-store",
    ...securityHeaders(req),
    ...headers,
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** A redirect after a form post or to a canonical URL (303: the browser follows with GET). */
export function redirect(
  req: IncomingMessage,
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(303, {
    Location: location,
    "Content-Length": 0,
    "Cache-Control": "no-store",
    ...securityHeaders(req),
    ...headers,
  });
  res.end();
}
