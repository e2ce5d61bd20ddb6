// Parses one HTTP/1.x header block (start line through the blank line) as Go's http.ReadRequest /
// http.ReadResponse see it: canonical keys, first value per key, Host and Transfer-Encoding taken out
// of the map, framing (Content-Length / chunked) and Connection: close extracted.
import { malformed } from "./errors.js";
import { canonicalHeaderKey } from "./header-keys.js";

export type ParserMode = "request" | "response";

export interface MessageHead {
  header: Record<string, string>;
  /** The peer will close after this exchange (`Connection: close`, or HTTP/1.0 without keep-alive). */
  close: boolean;
  /** Response status code; 0 for requests. */
  status: number;
  /** Response reason phrase (`OK`); empty for requests. */
  reason: string;
}

export interface ParsedHead extends MessageHead {
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
}

// Token characters of RFC 9110 (methods), as a lookup table so the request line costs no regex.
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
  TOKEN[c.charCodeAt(0)] = 1;
}

const SP = 32;
const TAB = 9;

export function quote(s: string): string {
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}...` : s);
}

/** `text` is the whole block including the final CRLFCRLF. */
export function parseHead(text: string, mode: ParserMode): ParsedHead {
  const lineEnd = text.indexOf("\r\n");
  const start = mode === "request" ? requestLine(text, lineEnd) : statusLine(text, lineEnd);
  const header: Record<string, string> = {};
  let contentLength = -1;
  let chunked = false;
  let connection: string | undefined;
  const stop = text.length - 2;
  let pos = lineEnd + 2;
  while (pos < stop) {
    const eol = text.indexOf("\r\n", pos);
    const colon = text.indexOf(":", pos);
    // a missing colon, an empty or non-token key, whitespace before the colon, and obsolete line
    // folding (a line starting with whitespace) are all rejected, like Go's textproto
    const key = colon < 0 || colon > eol ? undefined : canonicalHeaderKey(text.slice(pos, colon));
    if (key === undefined) throw malformed(`malformed MIME header line: ${quote(text.slice(pos, eol))}`);
    let vs = colon + 1;
    let ve = eol;
    let c = text.charCodeAt(vs);
    while (vs < ve && (c === SP || c === TAB)) c = text.charCodeAt(++vs);
    c = text.charCodeAt(ve - 1);
    while (ve > vs && (c === SP || c === TAB)) c = text.charCodeAt(--ve - 1);
    const value = text.slice(vs, ve);
    pos = eol + 2;
    switch (key) {
      case "Content-Length": {
        const n = parseLength(value);
        if (contentLength >= 0 && n !== contentLength) throw malformed("multiple Content-Length headers");
        contentLength = n;
        break;
      }
      case "Transfer-Encoding":
        if (value.toLowerCase() !== "chunked")
          throw malformed(`unsupported transfer encoding: ${quote(value)}`);
        chunked = true;
        continue;
      case "Host":
        if (mode === "request") continue;
        break;
      case "Connection":
        connection ??= value;
        break;
    }
    if (header[key] === undefined) header[key] = value;
  }
  if (chunked && contentLength >= 0) {
    // Go lets chunked framing win and forgets the length
    delete header["Content-Length"];
    contentLength = -1;
  }
  return {
    header,
    close: closes(connection, start.http10),
    status: start.status,
    reason: start.reason,
    contentLength,
    chunked,
  };
}

interface StartLine {
  http10: boolean;
  status: number;
  reason: string;
}

function requestLine(text: string, lineEnd: number): StartLine {
  const sp1 = text.indexOf(" ");
  const sp2 = sp1 < 0 ? -1 : text.indexOf(" ", sp1 + 1);
  if (lineEnd <= 0 || sp1 <= 0 || sp2 < 0 || sp2 >= lineEnd || sp2 === sp1 + 1 || !isToken(text, 0, sp1)) {
    throw malformed(`malformed HTTP request ${quote(text.slice(0, Math.max(lineEnd, 0)))}`);
  }
  for (let i = sp1 + 1; i < sp2; i++) {
    if (text.charCodeAt(i) < 33 || text.charCodeAt(i) === 127) {
      throw malformed(`malformed HTTP request ${quote(text.slice(0, lineEnd))}`);
    }
  }
  return { http10: version(text.slice(sp2 + 1, lineEnd)), status: 0, reason: "" };
}

function statusLine(text: string, lineEnd: number): StartLine {
  const sp1 = text.indexOf(" ");
  if (lineEnd <= 0 || sp1 <= 0 || sp1 >= lineEnd) {
    throw malformed(`malformed HTTP response ${quote(text.slice(0, Math.max(lineEnd, 0)))}`);
  }
  const http10 = version(text.slice(0, sp1));
  let status = 0;
  for (let i = sp1 + 1; i < sp1 + 4; i++) {
    const d = text.charCodeAt(i) - 48;
    if (i >= lineEnd || d < 0 || d > 9)
      throw malformed(`malformed HTTP status code ${quote(text.slice(sp1 + 1, lineEnd))}`);
    status = status * 10 + d;
  }
  if (sp1 + 4 < lineEnd && text.charCodeAt(sp1 + 4) !== SP) {
    throw malformed(`malformed HTTP status code ${quote(text.slice(sp1 + 1, lineEnd))}`);
  }
  return { http10, status, reason: sp1 + 5 < lineEnd ? text.slice(sp1 + 5, lineEnd) : "" };
}

function version(proto: string): boolean {
  if (proto === "HTTP/1.1") return false;
  if (proto === "HTTP/1.0") return true;
  throw malformed(`malformed HTTP version ${quote(proto)}`);
}

function isToken(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}

function parseLength(value: string): number {
  // at most 15 digits keeps it a safe integer; anything that long is over every limit anyway
  if (value.length === 0 || value.length > 15) throw malformed(`bad Content-Length ${quote(value)}`);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw malformed(`bad Content-Length ${quote(value)}`);
    n = n * 10 + d;
  }
  return n;
}

function closes(connection: string | undefined, http10: boolean): boolean {
  if (connection === undefined) return http10;
  const v = connection.toLowerCase();
  if (v === "close") return true;
  if (v === "keep-alive") return false;
  const tokens = v.split(",").map((t) => t.trim());
  if (tokens.includes("close")) return true;
  return http10 && !tokens.includes("keep-alive");
}
