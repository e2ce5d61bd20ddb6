// HTTP headers → call metadata, as go-micro's API gateway forwards them: every end-to-end header
// (Micro-* included) in canonical form, plus the caller's host and address. Hop-by-hop headers and
// those describing the HTTP body are the gateway's own business and stop here.
import type { IncomingHttpHeaders } from "node:http";
import type { Account } from "../auth/account.js";

const DROP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  "content-type",
  "host",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-websocket-protocol",
  // only the gateway says who the caller is: a client must not claim an account by header
  "micro-account",
]);

const canonical = new Map<string, string>();

/** Go's textproto.CanonicalMIMEHeaderKey for the header names HTTP clients send. */
export function canonicalHeader(name: string): string {
  let c = canonical.get(name);
  if (c === undefined) {
    c = name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());
    // a client sending random names must not grow the memo without bound
    if (canonical.size < 4096) canonical.set(name, c);
  }
  return c;
}

/** What metadata is made of: a node:http request, or the gateway's fast path's parsed head. */
export interface RequestHead {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
  /** name, value, name, value... as received */
  rawHeaders: string[];
  socket: { remoteAddress?: string | undefined };
}

export function metadataOf(req: RequestHead, account?: Account): Record<string, string> {
  const md: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROP.has(lower)) continue;
    const key = canonicalHeader(lower);
    const prev = md[key];
    md[key] = prev === undefined ? raw[i + 1]! : `${prev},${raw[i + 1]}`;
  }
  if (req.headers.host) md.Host = req.headers.host;
  md["Micro-Remote"] = req.socket.remoteAddress ?? "";
  if (account) md["Micro-Account"] = JSON.stringify(account);
  return md;
}
