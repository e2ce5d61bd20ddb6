// The fast path: plain API calls (POST, Content-Length, HTTP/1.1, keep-alive) read from the socket
// and answered with one write, without node:http's request and response objects — they cost about
// as much CPU as the call itself (bench/RESULTS.md, the gateway benchmark). The parser accepts only
// a strict subset of HTTP/1.1 and never rejects: anything else (another method, chunked bodies,
// Expect, Upgrade, Connection: close, duplicate or unusual headers, obs-fold, bare LF, non-ASCII,
// oversized heads or bodies, a slow head) hands the connection, with every byte it has not
// answered, to node:http, which parses and answers it as it would have from the start. Once handed
// over, a connection stays with node:http.
import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import type { RequestHead } from "../rpc/metadata.js";

/** A request the fast path read: the head as node:http would present it, and the body. */
export interface FastRequest extends RequestHead {
  method: string;
  url: string;
}

export interface FastHooks {
  /** Whether this request is one the fast path serves (the route is known and plain). */
  accepts(method: string, url: string, headers: IncomingHttpHeaders): boolean;
  /** Serves one request: the bytes of the whole HTTP response. */
  serve(request: FastRequest, body: Buffer, closed: AbortSignal): Promise<Buffer>;
  /** Gives the connection, and the bytes read but not answered, to node:http. */
  fallback(socket: Socket, unread: Buffer): void;
  maxBodyBytes: number;
}

const MAX_HEAD = 16 * 1024;
/** A keep-alive connection with nothing to do is closed after this long (node:http's default). */
const IDLE_MS = 5000;
/** A request head must be complete this long after its first byte (else node:http takes over). */
const HEAD_MS = 10_000;
const HEAD_END = Buffer.from("\r\n\r\n");
const REQUEST_LINE = /^POST (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x20-\x7e\t]*?)[ \t]*$/;
const DIGITS = /^\d{1,15}$/;
/** Headers whose presence means the exchange is not a plain call. */
const NOT_PLAIN = new Set(["transfer-encoding", "upgrade", "expect", "te", "trailer", "http2-settings"]);

/** Parses a head of the plain subset, or undefined for anything node:http should see instead. */
export function parsePlainHead(text: string): (FastRequest & { contentLength: number }) | undefined {
  const lines = text.split("\r\n");
  const start = REQUEST_LINE.exec(lines[0]!);
  if (!start) return undefined;
  const headers: IncomingHttpHeaders = {};
  const rawHeaders: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const m = HEADER_LINE.exec(lines[i]!);
    if (!m) return undefined;
    const name = m[1]!.toLowerCase();
    if (headers[name] !== undefined || NOT_PLAIN.has(name)) return undefined;
    headers[name] = m[2]!;
    rawHeaders.push(m[1]!, m[2]!);
  }
  const length = headers["content-length"];
  if (length === undefined || !DIGITS.test(length) || !headers.host) return undefined;
  const connection = headers.connection;
  if (connection !== undefined && connection.toLowerCase() !== "keep-alive") return undefined;
  return {
    method: "POST",
    url: start[1]!,
    headers,
    rawHeaders,
    socket: { remoteAddress: undefined },
    contentLength: Number(length),
  };
}

/** Serves one connection on the fast path until it hands it over or it closes. */
export function serveFast(socket: Socket, hooks: FastHooks): void {
  let buf: Buffer = EMPTY;
  let busy = false;
  let headStarted = 0;
  let done = false;
  const closed = new AbortController();

  const handOver = () => {
    done = true;
    socket.off("data", onData);
    socket.off("timeout", onTimeout);
    socket.off("close", onClose);
    socket.setTimeout(0);
    const unread = buf;
    buf = EMPTY;
    hooks.fallback(socket, unread);
  };

  const next = (): void => {
    while (!busy && !done && buf.length > 0) {
      const end = buf.indexOf(HEAD_END);
      if (end < 0) {
        if (buf.length > MAX_HEAD || Date.now() - headStarted > HEAD_MS) handOver();
        return;
      }
      const head = parsePlainHead(buf.toString("latin1", 0, end));
      if (
        !head ||
        head.contentLength > hooks.maxBodyBytes ||
        !hooks.accepts(head.method, head.url, head.headers)
      ) {
        handOver();
        return;
      }
      const bodyStart = end + 4;
      if (buf.length < bodyStart + head.contentLength) {
        if (Date.now() - headStarted > HEAD_MS) handOver();
        return; // the rest of the body is on its way
      }
      const body = buf.subarray(bodyStart, bodyStart + head.contentLength);
      buf = buf.subarray(bodyStart + head.contentLength);
      headStarted = buf.length ? Date.now() : 0;
      head.socket = socket;
      busy = true;
      hooks.serve(head, body, closed.signal).then(
        (response) => {
          busy = false;
          if (socket.destroyed) return;
          if (!socket.write(response)) {
            // a reader that does not keep up gets its next answer once this one has left
            busy = true;
            socket.once("drain", () => {
              busy = false;
              next();
            });
            return;
          }
          next();
        },
        () => socket.destroy(),
      );
    }
  };

  const onData = (chunk: Buffer) => {
    if (buf.length === 0) {
      buf = chunk;
      headStarted = Date.now();
    } else buf = Buffer.concat([buf, chunk]);
    // pipelined requests queue behind the one in flight, up to one request's worth of bytes
    if (busy && buf.length > hooks.maxBodyBytes + MAX_HEAD) socket.destroy();
    else next();
  };
  const onTimeout = () => {
    if (!busy) socket.destroy();
  };
  const onClose = () => closed.abort();

  socket.on("data", onData);
  socket.on("timeout", onTimeout);
  socket.on("close", onClose);
  socket.on("error", () => socket.destroy());
  socket.setTimeout(IDLE_MS);
}

const EMPTY = Buffer.alloc(0);

// The Date header, made at most once a second.
let dateSecond = 0;
let dateValue = "";
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateValue = new Date(now).toUTCString();
  }
  return dateValue;
}

/** A whole HTTP/1.1 response as one buffer, for one write. */
export function responseBytes(
  status: number,
  statusText: string,
  contentType: string,
  body: Uint8Array,
  extra?: Record<string, string>,
): Buffer {
  let head = `HTTP/1.1 ${status} ${statusText}\r\nContent-Type: ${contentType}\r\nDate: ${httpDate()}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: ${body.byteLength}\r\n`;
  if (extra) for (const k in extra) head += `${k}: ${extra[k]}\r\n`;
  head += "\r\n";
  const headLength = Buffer.byteLength(head, "latin1");
  const out = Buffer.allocUnsafe(headLength + body.byteLength);
  out.write(head, 0, "latin1");
  out.set(body, headLength);
  return out;
}
