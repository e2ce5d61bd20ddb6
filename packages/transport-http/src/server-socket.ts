// The accepted side: requests in, `200 OK` responses out, as go-micro's hijacked http socket does.
// Every response echoes the connection's first request headers (go-micro's transport/http_socket.go),
// so those are serialized
// once per connection and merged with each message's few headers.
import type { Socket as NetSocket } from "node:net";
import { MicroError, type TransportMessage } from "@micro/core";
import { eofError, type FrameError, frameError, SERVER_ERROR_ID } from "./errors.js";
import type { MessageHead } from "./head.js";
import { HttpSocket } from "./http-socket.js";
import type { SocketSettings } from "./options.js";
import { EMPTY_BODY, Phase } from "./parser.js";
import { type Expiry, ReadDeadline } from "./read-deadline.js";
import { refusal } from "./refusal.js";
import { type Field, HeaderEncoder, headerFields, InvalidHeaderError } from "./writer.js";

// Go's Response.Write leaves these to the framing it does itself.
const RESPONSE_SKIP: ReadonlySet<string> = new Set(["Content-Length", "Transfer-Encoding", "Trailer"]);
const NO_FIELDS: readonly Field[] = [];

export class ServerSocket extends HttpSocket {
  #echo: readonly Field[] | null = null;
  #closeAfterReply = false;
  readonly #encoder = new HeaderEncoder(RESPONSE_SKIP);
  /** Requests delivered and not answered yet (unary calls and events: one reply each). */
  #owed = 0;
  /** The connection carries a stream: replies do not pair with requests, and its owner ends it. */
  #stream = false;
  /** A refusal (bad frame, timeout) that waits until the requests before it are answered. */
  #refusal: MicroError | undefined;
  readonly #deadline: ReadDeadline | undefined;

  constructor(conn: NetSocket, settings: SocketSettings) {
    super(conn, "request", settings, SERVER_ERROR_ID);
    const { readHeaderTimeout, idleTimeout } = settings;
    if (readHeaderTimeout > 0 || idleTimeout > 0) {
      const deadline = new ReadDeadline(readHeaderTimeout, idleTimeout, (what) => this.#expired(what));
      this.#deadline = deadline;
      deadline.idle();
      conn.once("close", () => deadline.stop());
    }
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
    if (this.#owed > 0) this.#owed--;
    if (this.#closeAfterReply) this.linger();
    else if (this.#owed === 0 && !this.#stream) {
      if (this.#refusal) this.#sendRefusal(this.#refusal);
      else if (this.parser.phase === Phase.Between) this.#deadline?.idle();
    }
    return written;
  }

  override close(): Promise<void> {
    // the requests before a bad frame are answered (or abandoned): now the refusal goes out
    const refused = this.#refusal;
    if (refused && !this.closed && !this.conn.destroyed && this.conn.writable) {
      this.#sendRefusal(refused);
    }
    this.#deadline?.stop();
    return super.close();
  }

  protected onMessage(head: MessageHead, body: Buffer): void {
    if (this.#echo === null) this.#echo = headerFields(head.header, RESPONSE_SKIP);
    if (head.header["Micro-Stream"] !== undefined || head.header["X-Micro-Stream"] !== undefined) {
      this.#stream = true;
    } else this.#owed++;
    if (head.close) {
      // answer this request, then hang up; anything pipelined after it is not read (like Go)
      this.#closeAfterReply = true;
      this.parser.stop();
    }
    this.deliver({ header: head.header, body });
  }

  protected onFrameError(err: FrameError): void {
    this.#refuse(frameError(SERVER_ERROR_ID, err));
  }

  protected override afterRead(): void {
    const deadline = this.#deadline;
    if (deadline === undefined || this.#refusal || this.closed) return;
    switch (this.parser.phase) {
      case Phase.Head:
        deadline.head();
        return;
      case Phase.Body:
        deadline.body();
        return;
      case Phase.Between:
        if (this.#owed === 0 && !this.#stream) deadline.idle();
        else deadline.busy();
        return;
      default:
        // waiting for the body budget is our doing, not the peer's; stopped is the end
        deadline.busy();
    }
  }

  /**
   * Ends reading with `e`: recv() hands out what came before, then rejects. The peer gets `e` as a
   * go-micro error reply once the requests before it are answered, as Go's server would: it reads
   * (and answers) one request at a time, so a bad frame is only seen after the good ones.
   */
  #refuse(e: MicroError): void {
    this.settings.logger.debug(`http transport: ${this.remote}: ${e.detail}`);
    this.fail(e);
    if (this.#owed === 0 && !this.#stream) this.#sendRefusal(e);
    else {
      this.#refusal = e;
      // bounded: an owner that never answers does not keep the connection forever
      this.#deadline?.idle(true);
    }
  }

  #sendRefusal(e: MicroError): void {
    this.#refusal = undefined;
    this.#deadline?.stop();
    if (!this.conn.destroyed && this.conn.writable) this.conn.write(refusal(e));
    this.linger();
  }

  #expired(what: Expiry): void {
    if (this.#refusal) {
      this.#sendRefusal(this.#refusal);
      return;
    }
    const s = this.settings;
    if (what === "idle") {
      // nothing owed either way: close quietly, as Go does (the owner's recv() sees EOF)
      s.logger.debug(`http transport: ${this.remote}: idle for ${s.idleTimeout} ms, closing`);
      this.#deadline?.stop();
      this.fail(eofError(SERVER_ERROR_ID, false));
      this.linger();
      return;
    }
    const detail =
      what === "header"
        ? `i/o timeout: request header not complete after ${s.readHeaderTimeout} ms`
        : `i/o timeout: no request body bytes for ${s.idleTimeout} ms`;
    this.#refuse(MicroError.timeout(SERVER_ERROR_ID, detail));
  }
}
