// Parses one HTTP/1.x header block (start line through the blank line) as Go's http.ReadRequest /
// http.ReadResponse see it: canonical keys, first value per key, Host and Transfer-Encoding taken out
// of the map, framing (Content-Length / chunked) and Connection: close extracted.
import { malformed } from "./errors.js";
import { validFieldValue } from "./field-value.js";
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

/** Whether byte `c` may appear in a method (an RFC 9110 token). */
export function isTokenByte(c: number): boolean {
  return c < 128 && TOKEN[c] === 1;
}

export function quote(s: string): string {
  // JSON leaves DEL as it is: spelled out, so the reason for a refusal is visible
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}...` : s).replace(/\x7f/g, "\\u007f");
}

/**
 * The header lines of the previous message on a connection, parsed. Peers repeat almost every line
 * (Content-Type, Micro-Service, Timeout...): comparing a line with the one before is much cheaper than
 * canonicalizing, trimming and classifying it again, and when the keys are the same as last time the
 * header map is a clone of the last one with the changed values set (no per-key dynamic stores).
 */
export class HeaderMemo {
  lines: string[] = [];
  keys: string[] = [];
  values: string[] = [];
  kinds: number[] = [];
  /** Whether line i is the one that put its key in the map (first value wins; Host is left out). */
  won: boolean[] = [];
  count = 0;
  template: Record<string, string> | undefined;
  readonly changed: number[] = [];
}

// Longer header blocks are parsed without remembering them.
const MEMO_LINES = 64;
export const OTHER = 0;
const CONTENT_LENGTH = 1;
const TRANSFER_ENCODING = 2;
const HOST = 3;
const CONNECTION = 4;

function kindOf(key: string): number {
  switch (key) {
    case "Content-Length":
      return CONTENT_LENGTH;
    case "Transfer-Encoding":
      return TRANSFER_ENCODING;
    case "Host":
      return HOST;
    case "Connection":
      return CONNECTION;
    default:
      return OTHER;
  }
}

/** `text` is the whole block including the final CRLFCRLF. */
export function parseHead(text: string, mode: ParserMode, memo: HeaderMemo = new HeaderMemo()): ParsedHead {
  const lineEnd = text.indexOf("\r\n");
  const start = mode === "request" ? requestLine(text, lineEnd) : statusLine(text, lineEnd);
  let contentLength = -1;
  let chunked = false;
  let connection: string | undefined;
  const stop = text.length - 2;
  const { lines, keys, values, kinds, changed } = memo;
  changed.length = 0;
  let reshaped = memo.template === undefined;
  let pos = lineEnd + 2;
  let count = 0;
  for (; pos < stop; count++) {
    const eol = text.indexOf("\r\n", pos);
    const line = text.slice(pos, eol);
    pos = eol + 2;
    let kind: number;
    let value: string;
    if (line === lines[count]) {
      kind = kinds[count]!;
      value = values[count]!;
    } else {
      const colon = line.indexOf(":");
      // a missing colon, an empty or non-token key, whitespace before the colon, and obsolete line
      // folding (a line starting with whitespace) are all rejected, like Go's textproto
      const key = colon < 0 ? undefined : canonicalHeaderKey(line.slice(0, colon));
      if (key === undefined) throw malformed(`malformed MIME header line: ${quote(line)}`);
      value = trimBlanks(line, colon + 1);
      // a control byte (NUL, a bare CR or LF, DEL) would be echoed into replies: Go answers 400
      if (!validFieldValue(value)) throw malformed(`malformed MIME header line: ${quote(line)}`);
      kind = kindOf(key);
      if (key !== keys[count]) reshaped = true;
      else changed.push(count);
      lines[count] = line;
      keys[count] = key;
      values[count] = value;
      kinds[count] = kind;
    }
    if (kind === OTHER) continue;
    if (kind === CONTENT_LENGTH) {
      const n = parseLength(value);
      if (contentLength >= 0 && n !== contentLength) throw malformed("multiple Content-Length headers");
      contentLength = n;
    } else if (kind === TRANSFER_ENCODING) {
      if (value.toLowerCase() !== "chunked")
        throw malformed(`unsupported transfer encoding: ${quote(value)}`);
      chunked = true;
    } else if (kind === CONNECTION) {
      connection ??= value;
    }
  }
  let header: Record<string, string>;
  if (!reshaped && count === memo.count) {
    const template = memo.template!;
    header = { ...template };
    for (const i of changed) {
      if (!memo.won[i]) continue;
      header[keys[i]!] = values[i]!;
      template[keys[i]!] = values[i]!;
    }
  } else {
    header = {};
    const won = memo.won;
    for (let i = 0; i < count; i++) {
      const kind = kinds[i];
      const key = keys[i]!;
      won[i] =
        kind !== TRANSFER_ENCODING && !(kind === HOST && mode === "request") && header[key] === undefined;
      if (won[i]) header[key] = values[i]!;
    }
    if (count > MEMO_LINES) {
      memo.lines = [];
      memo.keys = [];
      memo.values = [];
      memo.kinds = [];
      memo.won = [];
      memo.template = undefined;
      memo.count = 0;
    } else {
      lines.length = keys.length = values.length = kinds.length = won.length = count;
      memo.template = { ...header };
      memo.count = count;
    }
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
  const reason = sp1 + 5 < lineEnd ? text.slice(sp1 + 5, lineEnd) : "";
  // a bare LF would hide in the reason phrase: refusing it lets the parser retry with LF line ends
  if (reason.indexOf("\n") >= 0) throw malformed(`malformed HTTP response ${quote(text.slice(0, lineEnd))}`);
  return { http10, status, reason };
}

function trimBlanks(line: string, from: number): string {
  let s = from;
  let e = line.length;
  while (s < e && (line.charCodeAt(s) === SP || line.charCodeAt(s) === TAB)) s++;
  while (e > s && (line.charCodeAt(e - 1) === SP || line.charCodeAt(e - 1) === TAB)) e--;
  return line.slice(s, e);
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
