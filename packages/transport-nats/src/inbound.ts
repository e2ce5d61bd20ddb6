// The receive side of a socket: messages queue until recv() takes them. The peer closing ends the
// queue (recv() drains what arrived, then rejects EOF); our own close() fails it at once.
import type { MicroError, TransportMessage } from "@micro/core";
import { AsyncQueue } from "@micro/core/plugin-kit";
import { eofError } from "./errors.js";

export class Inbound {
  readonly #queue = new AsyncQueue<TransportMessage>();
  #abort: MicroError | undefined;

  constructor(private readonly errorId: string) {}

  push(message: TransportMessage): void {
    this.#queue.push(message);
  }

  /** The peer is gone: buffered messages are still delivered, then EOF. */
  end(): void {
    this.#queue.end();
  }

  /** Fails pending and later recv() with `err` once the buffer is drained. */
  fail(err: MicroError): void {
    this.#queue.fail(err);
  }

  /** We closed: pending and later recv() reject right away. */
  abort(): void {
    this.#abort ??= eofError(this.errorId);
    this.#queue.fail(this.#abort);
  }

  async next(): Promise<TransportMessage> {
    if (this.#abort) throw this.#abort;
    const r = await this.#queue.pull();
    if (r.done) throw eofError(this.errorId);
    return r.value;
  }
}
