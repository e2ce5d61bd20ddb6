// The accepted side: requests in, `200 OK` responses out, as go-micro's hijacked http socket does.
// Every response echoes the connection's first request headers (go-micro's transport/http_socket.go),
// so those are serialized
// once per connection and merged with each message's few headers.
import type { Socket as NetSocket } from "node:net";
import { MicroError, type TransportMessage } from "@micro/core";
import { type FrameError, frameError, SERVER_ERROR_ID } from "./errors.js";
import type { MessageHead } from "./head.js";
import { HttpSocket } from "./http-socket.js";
import type { SocketSettings } from "./options.js";
import { EMPTY_BODY } from "./parser.js";
import { type Field, HeaderEncoder, headerFields, InvalidHeaderError } from "./writer.js";

// Go's Response.Write leaves these to the framing it does itself.
const RESPONSE_SKIP: ReadonlySet<string> = new Set(["Content-Length", "Transfer-Encoding", "Trailer"]);
const NO_FIELDS: readonly Field[] = [];

export class ServerSocket extends HttpSocket {
  #echo: readonly Field[] | null = null;
  #closeAfterReply = false;
  readonly #encoder = new HeaderEncoder(RESPONSE_SKIP);

  constructor(conn: NetSocket, settings: SocketSettings) {
    super(conn, "request", settings, SERVER_ERROR_ID);
  }

  send(message: TransportMessage): Promise<void> {
    const body = message.body ?? EMPTY_BODY;
    let lines: string;
    try {
      lines = this.#encoder.encode(message.header, this.#echo ?? NO_FIELDS);
    } catch (err) {
      if (err instanceof InvalidHeaderError)
        return Promise.reject(MicroError.internal(SERVER_ERROR_ID, err.message));
      throw err;
    }
    const head = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${lines}\r\n`;
    const written = this.write(head, body);
    if (this.#closeAfterReply) this.linger();
    return written;
  }

  protected onMessage(head: MessageHead, body: Buffer): void {
    if (this.#echo === null) this.#echo = headerFields(head.header, RESPONSE_SKIP);
    if (head.close) {
      // answer this request, then hang up; anything pipelined after it is not read (like Go)
      this.#closeAfterReply = true;
      this.parser.stop();
    }
    this.deliver({ header: head.header, body });
  }

  protected onFrameError(err: FrameError): void {
    const e = frameError(SERVER_ERROR_ID, err);
    const json = e.toString();
    const reply =
      `HTTP/1.1 ${e.code} ${e.status}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
      `Content-Type: application/json\r\nMicro-Error: ${json}\r\n\r\n${json}`;
    this.settings.logger.debug(`http transport: ${this.remote}: ${e.detail}`);
    this.fail(e);
    if (!this.conn.destroyed && this.conn.writable) this.conn.write(reply);
    this.linger();
  }
}
