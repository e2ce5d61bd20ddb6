// Publishes handed to NATS at most about twice per event-loop turn instead of one write at a time.
// The NATS client writes its buffer in a microtask queued by the first publish into an empty
// buffer, so a publisher that awaits anything between messages (an awaited publish(), a stream's
// next frame) would make one write() system call per message — the largest cost of a small
// message, for us and for nats-server. Go's client buffers and flushes from a background
// goroutine; the outbox is our equivalent. Until the client's first write of a turn has happened,
// messages go to the client at once (a lone request or reply is not held back, and what is
// published together is written together, as before); after it they queue until setImmediate (or
// until the queue is large) and reach the client in order, in one more write.
//
// A turn ends where the event loop next waits for I/O, which the loop's idle time shows: a message
// published after the loop has waited since the client's write starts a new turn and goes straight
// to the client. So a lone message per turn (a unary request or reply) costs no setImmediate; only
// a turn that publishes again after the write schedules one.
//
// Everything published on a connection that uses an outbox must go through it (or flush it first),
// or messages overtake each other. Callers check what the client would refuse before push(), so
// refusals stay immediate.
import { performance } from "node:perf_hooks";
import type { NatsConnection } from "@nats-io/nats-core";

/** Queued messages handed over without waiting for the turn to end (bounds memory per turn). */
const MAX_QUEUED = 1024;
/** Messages go straight to the client; ARMED: and a marker runs right after the client's write. */
const DIRECT = 0;
const ARMED = 1;
/** The client has written; a message in the same turn queues and the turn's end is scheduled. */
const WROTE = 2;
/** Messages queue until setImmediate. */
const QUEUE = 3;
// the marker's microtask: a reaction on a settled promise joins the same FIFO queue as the client's
// queueMicrotask, without the AsyncResource and bound function queueMicrotask makes per call
const SETTLED = Promise.resolve();
/** Milliseconds the event loop has spent waiting for I/O; it grows only where a turn ends. */
const idleTime = (): number => performance.nodeTiming.idleTime;

export class Outbox {
  #subjects: string[] = [];
  #payloads: Uint8Array[] = [];
  #replies: (string | undefined)[] = [];
  #mode = DIRECT;
  /** The loop's idle time when the client wrote (WROTE). */
  #wroteAt = 0;

  /** `onLost` hears of messages the client refused at hand-over: the connection closed since push(). */
  constructor(
    readonly nc: NatsConnection,
    private readonly onLost: (count: number, err: unknown) => void = () => {},
  ) {}

  /** Hands one message to the client now, or queues it if the client has already written this turn. */
  push(subject: string, payload: Uint8Array, reply?: string): void {
    if (this.#mode === WROTE) {
      if (idleTime() !== this.#wroteAt) this.#mode = DIRECT;
      else {
        this.#mode = QUEUE;
        setImmediate(this.#endTurn);
      }
    }
    if (this.#mode === QUEUE) {
      this.#subjects.push(subject);
      this.#payloads.push(payload);
      this.#replies.push(reply);
      if (this.#subjects.length >= MAX_QUEUED) this.flush();
      return;
    }
    this.#publish(subject, payload, reply, 1);
    if (this.#mode === DIRECT) {
      this.#mode = ARMED;
      // queued after the client's own flush microtask (FIFO), so it runs once that write is done
      void SETTLED.then(this.#clientWrote);
    }
  }

  /** Hands every queued message to the client now. */
  flush(): void {
    const subjects = this.#subjects;
    if (subjects.length === 0) return;
    const payloads = this.#payloads;
    const replies = this.#replies;
    this.#subjects = [];
    this.#payloads = [];
    this.#replies = [];
    for (let i = 0; i < subjects.length; i++) {
      // the rest of the turn is lost with the connection
      if (!this.#publish(subjects[i]!, payloads[i]!, replies[i], subjects.length - i)) return;
    }
  }

  #publish(subject: string, payload: Uint8Array, reply: string | undefined, atStake: number): boolean {
    try {
      this.nc.publish(subject, payload, reply === undefined ? undefined : { reply });
      return true;
    } catch (err) {
      this.onLost(atStake, err);
      return false;
    }
  }

  readonly #clientWrote = () => {
    this.#mode = WROTE;
    this.#wroteAt = idleTime();
  };

  readonly #endTurn = () => {
    this.flush();
    this.#mode = DIRECT;
  };
}
