// The receive side of a socket: messages queue until recv() takes them. The peer closing ends the
// queue (recv() drains what arrived, then rejects EOF); our own close() fails it at once.
//
// A waiting recv() is one promise (or, for recvInto, no promise at all): at one call at a time a
// socket is woken once per message, and every promise and turn on that path is paid cold, so this
// is a plain queue rather than an AsyncQueue behind an async function (two promises, a result
// object and two turns per message).
import type { MicroError, TransportMessage } from "@micro/core";
import { eofError } from "./errors.js";

type Resolve = (m: TransportMessage) => void;
type Reject = (e: unknown) => void;

export class Inbound {
  #items: TransportMessage[] = [];
  #head = 0;
  // the usual single waiter in two fields; more than one recv() at a time queue behind it
  #resolve: Resolve | undefined;
  #reject: Reject | undefined;
  #more: { resolve: Resolve; reject: Reject }[] = [];
  /** Set once the queue ended: "eof" for the peer's close, else the failure; after what is buffered. */
  #end: MicroError | "eof" | undefined;

  constructor(private readonly errorId: string) {}

  push(message: TransportMessage): void {
    if (this.#end !== undefined) return;
    const resolve = this.#resolve;
    if (resolve) {
      this.#shift();
      resolve(message);
    } else this.#items.push(message);
  }

  /** The peer is gone: buffered messages are still delivered, then EOF. */
  end(): void {
    this.#finish("eof");
  }

  /** Fails pending and later recv() with `err` once the buffer is drained. */
  fail(err: MicroError): void {
    this.#finish(err);
  }

  /** We closed: pending and later recv() reject right away. */
  abort(): void {
    this.#items = [];
    this.#head = 0;
    if (this.#end === undefined) this.#finish("eof");
    else this.#end = "eof";
  }

  next(): Promise<TransportMessage> {
    if (this.#head < this.#items.length) return Promise.resolve(this.#take());
    if (this.#end !== undefined) return Promise.reject(this.#error());
    return new Promise((resolve, reject) => this.#wait(resolve, reject));
  }

  /** next() with callbacks: one of them runs now if a message (or the end) is there, else later. */
  nextInto(resolve: Resolve, reject: Reject): void {
    if (this.#head < this.#items.length) resolve(this.#take());
    else if (this.#end !== undefined) reject(this.#error());
    else this.#wait(resolve, reject);
  }

  #wait(resolve: Resolve, reject: Reject): void {
    if (this.#resolve) this.#more.push({ resolve, reject });
    else {
      this.#resolve = resolve;
      this.#reject = reject;
    }
  }

  /** Drops the first waiter (it is being answered). */
  #shift(): void {
    const next = this.#more.shift();
    this.#resolve = next?.resolve;
    this.#reject = next?.reject;
  }

  #take(): TransportMessage {
    const m = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as never;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    }
    return m;
  }

  #finish(end: MicroError | "eof"): void {
    if (this.#end !== undefined) return;
    this.#end = end;
    while (this.#reject) {
      const reject = this.#reject;
      this.#shift();
      reject(this.#error());
    }
  }

  #error(): MicroError {
    const end = this.#end!;
    return end === "eof" ? eofError(this.errorId) : end;
  }
}
