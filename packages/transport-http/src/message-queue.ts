// Parsed messages waiting for recv(). An entry can also be a non-fatal error (a client's non-200
// response) that rejects just that recv; fail() ends the queue for good. On the accepted side each
// body holds its bytes of the transport's body budget until the owner takes it (`onLeave`).
import type { MicroError, TransportMessage } from "@micro/core";

type Entry = TransportMessage | MicroError;

interface Waiter {
  resolve: (m: TransportMessage) => void;
  reject: (e: unknown) => void;
}

const isMessage = (e: Entry): e is TransportMessage => !(e instanceof Error);

export class MessageQueue {
  #items: Entry[] = [];
  #head = 0;
  #waiters: Waiter[] = [];
  #error: MicroError | undefined;
  /** Body bytes queued unread. */
  bytes = 0;

  /** `onLeave`: told the body size of every message that leaves (taken, or dropped by `detach`). */
  constructor(private onLeave?: (bytes: number) => void) {}

  get length(): number {
    return this.#items.length - this.#head;
  }

  get failed(): boolean {
    return this.#error !== undefined;
  }

  get waiting(): boolean {
    return this.#waiters.length > 0;
  }

  push(entry: Entry): void {
    if (this.#error) {
      if (isMessage(entry)) this.onLeave?.(entry.body.length);
      return;
    }
    const w = this.#waiters.shift();
    if (w) {
      if (isMessage(entry)) {
        this.onLeave?.(entry.body.length);
        w.resolve(entry);
      } else w.reject(entry);
      return;
    }
    if (isMessage(entry)) this.bytes += entry.body.length;
    this.#items.push(entry);
  }

  pull(): Promise<TransportMessage> {
    if (this.#head < this.#items.length) {
      const entry = this.#take();
      if (!isMessage(entry)) return Promise.reject(entry);
      return Promise.resolve(entry);
    }
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** pull() with callbacks: one of them runs now if an entry (or the error) is there, else later. */
  pullInto(resolve: (m: TransportMessage) => void, reject: (e: unknown) => void): void {
    if (this.#head < this.#items.length) {
      const entry = this.#take();
      if (isMessage(entry)) resolve(entry);
      else reject(entry);
    } else if (this.#error) reject(this.#error);
    else this.#waiters.push({ resolve, reject });
  }

  #take(): Entry {
    const entry = this.#items[this.#head]!;
    this.#items[this.#head++] = undefined as never;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (isMessage(entry)) {
      this.bytes -= entry.body.length;
      this.onLeave?.(entry.body.length);
    }
    return entry;
  }

  /** The owner is gone: what is still queued no longer counts (and is not counted again if taken). */
  detach(): void {
    const leave = this.onLeave;
    this.onLeave = undefined;
    if (leave && this.bytes > 0) leave(this.bytes);
  }

  /** Buffered entries are still handed out; after them every pull rejects with `err`. */
  fail(err: MicroError): void {
    if (this.#error) return;
    this.#error = err;
    for (const w of this.#waiters.splice(0)) w.reject(err);
  }
}
