// Publishes handed to NATS once per event-loop turn instead of one at a time. The NATS client writes
// its buffer to the socket in a microtask after the first publish, so a caller that awaits each
// publish() makes one write() system call per message — the largest cost of a small message. Go's
// client buffers and flushes from a background goroutine; the outbox is our equivalent: messages
// queue until setImmediate (or until the queue is large) and reach the client together, in order,
// which then writes them in one go.
//
// Everything the client would refuse is checked when the message is queued, so publish() still
// rejects at once for a closed connection, a bad subject or an oversized payload.
import { MicroError } from "@micro/core";
import type { NatsConnection } from "@nats-io/nats-core";

/** Queued messages handed over without waiting for the turn to end (bounds memory per turn). */
const MAX_QUEUED = 1024;
const WHITESPACE = /\s/;

export class Outbox {
  #subjects: string[] = [];
  #payloads: Uint8Array[] = [];
  #scheduled = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly errorId: string,
    private readonly onLost: (count: number, err: unknown) => void,
  ) {}

  /** Queues one message; throws a MicroError where the client's publish would throw. */
  push(subject: string, payload: Uint8Array): void {
    this.#check(subject, payload);
    this.#subjects.push(subject);
    this.#payloads.push(payload);
    if (this.#subjects.length >= MAX_QUEUED) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushLater);
    }
  }

  /** Hands every queued message to the client now. */
  flush(): void {
    const subjects = this.#subjects;
    const payloads = this.#payloads;
    if (subjects.length === 0) return;
    this.#subjects = [];
    this.#payloads = [];
    for (let i = 0; i < subjects.length; i++) {
      try {
        this.nc.publish(subjects[i]!, payloads[i]!);
      } catch (err) {
        // only a connection closed since push() gets here: the rest of the turn is lost with it
        this.onLost(subjects.length - i, err);
        return;
      }
    }
  }

  readonly #flushLater = () => {
    this.#scheduled = false;
    this.flush();
  };

  #check(subject: string, payload: Uint8Array): void {
    const nc = this.nc;
    if (nc.isClosed() || nc.isDraining()) {
      throw new MicroError(this.errorId, "nats broker: publish on a closed connection", 503);
    }
    if (!subject || WHITESPACE.test(subject)) {
      throw MicroError.badRequest(this.errorId, `nats broker: invalid subject "${subject}"`);
    }
    const max = nc.info?.max_payload;
    if (max !== undefined && payload.byteLength > max) {
      throw MicroError.badRequest(
        this.errorId,
        `nats broker: message of ${payload.byteLength} bytes exceeds the server's max_payload (${max})`,
      );
    }
  }
}
