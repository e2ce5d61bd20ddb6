// The dialed side: each send() is one `POST /` request, each recv() one response (go-micro's
// http_client.go). Sends and receives are decoupled, so streams can send several before reading.
import type { Socket as NetSocket } from "node:net";
import { MicroError, type TransportMessage } from "@micro/core";
import type { RefSocket } from "@micro/core/plugin-kit";
import { CLIENT_ERROR_ID, type FrameError } from "./errors.js";
import type { MessageHead } from "./head.js";
import { HttpSocket } from "./http-socket.js";
import type { SocketSettings } from "./options.js";
import { EMPTY_BODY } from "./parser.js";
import { HeaderEncoder, InvalidHeaderError } from "./writer.js";

// Go's Request.Write writes these itself (or not at all).
const REQUEST_SKIP: ReadonlySet<string> = new Set(["Host", "Content-Length", "Transfer-Encoding", "Trailer"]);

export class ClientSocket extends HttpSocket implements RefSocket {
  /** Everything of a request before the body length; constant for the connection. */
  readonly #prefix: string;
  readonly #encoder = new HeaderEncoder(REQUEST_SKIP);

  constructor(conn: NetSocket, address: string, settings: SocketSettings, connClose: boolean) {
    super(conn, "response", settings, CLIENT_ERROR_ID);
    this.#prefix = `POST / HTTP/1.1\r\nHost: ${address}\r\n${connClose ? "Connection: close\r\n" : ""}Content-Length: `;
  }

  send(message: TransportMessage): Promise<void> {
    const body = message.body ?? EMPTY_BODY;
    let lines: string;
    try {
      lines = this.#encoder.encode(message.header);
    } catch (err) {
      if (err instanceof InvalidHeaderError)
        return Promise.reject(MicroError.internal(CLIENT_ERROR_ID, err.message));
      throw err;
    }
    return this.write(`${this.#prefix}${body.length}\r\n${lines}\r\n`, body);
  }

  /** Holds the process open again: a call took the connection from the pool. */
  ref(): void {
    this.conn.ref();
  }

  /** Idle in the pool: the connection no longer keeps a finished script running. */
  unref(): void {
    this.conn.unref();
  }

  protected onMessage(head: MessageHead, body: Buffer): void {
    if (head.status !== 200) {
      // go-micro: errors.New(rsp.Status + ": " + body); the connection itself stays usable
      const status = head.reason ? `${head.status} ${head.reason}` : String(head.status);
      this.deliver(MicroError.internal(CLIENT_ERROR_ID, `${status}: ${body.toString("utf8")}`));
      return;
    }
    this.deliver({ header: head.header, body });
  }

  protected onFrameError(err: FrameError): void {
    this.fail(MicroError.internal(CLIENT_ERROR_ID, `malformed response: ${err.message}`));
    this.conn.destroy();
  }
}
