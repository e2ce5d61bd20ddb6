// The messages an outbox keeps, oldest first, with their size. Parallel arrays and a head index
// instead of an object per message, so keeping a message costs a few array slots; the consumed
// head is cut off once it is large. Positions are counted from the head; `first` is the absolute
// number of the head message (all messages ever dropped), so a position taken earlier can be
// compared after the head has moved.

/** What a message counts against the reconnect buffer: its payload, subject and reply subject. */
export const frameBytes = (subject: string, payload: Uint8Array, reply: string | undefined): number =>
  payload.byteLength + subject.length + (reply === undefined ? 0 : reply.length);

/** A consumed head this long is cut off (and once it is more than half the arrays). */
const COMPACT_AT = 1024;

export class FrameQueue {
  #subjects: string[] = [];
  #payloads: Uint8Array[] = [];
  #replies: (string | undefined)[] = [];
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;
  #first = 0;

  /** Messages kept. */
  get length(): number {
    return this.#subjects.length - this.#head;
  }

  /** Their bytes, as frameBytes counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The absolute number of the oldest message kept (= how many were dropped before it). */
  get first(): number {
    return this.#first;
  }

  push(subject: string, payload: Uint8Array, reply: string | undefined): void {
    this.#subjects.push(subject);
    this.#payloads.push(payload);
    this.#replies.push(reply);
    const size = frameBytes(subject, payload, reply);
    this.#sizes.push(size);
    this.#bytes += size;
  }

  subject(i: number): string {
    return this.#subjects[this.#head + i]!;
  }

  payload(i: number): Uint8Array {
    return this.#payloads[this.#head + i]!;
  }

  reply(i: number): string | undefined {
    return this.#replies[this.#head + i];
  }

  /** frameBytes of the message at position `i`. */
  size(i: number): number {
    return this.#sizes[this.#head + i]!;
  }

  /** Forgets the `n` oldest messages. */
  dropHead(n: number): void {
    const end = Math.min(this.#head + n, this.#subjects.length);
    for (let i = this.#head; i < end; i++) {
      this.#bytes -= this.#sizes[i]!;
      // release the payload now rather than at the next compaction
      this.#payloads[i] = EMPTY;
    }
    this.#first += end - this.#head;
    this.#head = end;
    if (this.#head === this.#subjects.length) this.#reset();
    else if (this.#head >= COMPACT_AT && this.#head * 2 >= this.#subjects.length) this.#compact();
  }

  /** Forgets everything. */
  clear(): void {
    this.#first += this.length;
    this.#reset();
  }

  #reset(): void {
    this.#subjects = [];
    this.#payloads = [];
    this.#replies = [];
    this.#sizes = [];
    this.#head = 0;
    this.#bytes = 0;
  }

  #compact(): void {
    this.#subjects = this.#subjects.slice(this.#head);
    this.#payloads = this.#payloads.slice(this.#head);
    this.#replies = this.#replies.slice(this.#head);
    this.#sizes = this.#sizes.slice(this.#head);
    this.#head = 0;
  }
}

const EMPTY = new Uint8Array(0);
