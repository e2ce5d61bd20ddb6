// When an outbox hands a message to the NATS client at once, and when it waits for the end of the
// event-loop turn. The client writes its buffer in a microtask queued by the first publish into an
// empty buffer, so a publisher that awaits anything between messages (an awaited publish(), a
// stream's next frame) would make one write() system call per message — the largest cost of a small
// message, for us and for nats-server. Go's client buffers and flushes from a background goroutine;
// this is our equivalent. Until the client's first write of a turn has happened, messages go to the
// client at once (a lone request or reply is not held back, and what is published together is
// written together); after it they wait until setImmediate and go in one more write.
//
// A turn ends where the event loop next waits for I/O, which the loop's idle time shows: a message
// published after the loop has waited since the client's write starts a new turn and goes straight
// to the client. So a lone message per turn (a unary request or reply) costs no setImmediate; only
// a turn that publishes again after the write schedules one.
import { performance } from "node:perf_hooks";

/** Messages go straight to the client; ARMED: and a marker runs right after the client's write. */
const DIRECT = 0;
const ARMED = 1;
/** The client has written; a message in the same turn waits and the turn's end is scheduled. */
const WROTE = 2;
/** Messages wait until setImmediate. */
const WAIT = 3;
// the marker's microtask: a reaction on a settled promise joins the same FIFO queue as the client's
// queueMicrotask, without the AsyncResource and bound function queueMicrotask makes per call
const SETTLED = Promise.resolve();
/** Milliseconds the event loop has spent waiting for I/O; it grows only where a turn ends. */
const idleTime = (): number => performance.nodeTiming.idleTime;

export class Turns {
  #mode = DIRECT;
  /** The loop's idle time when the client wrote (WROTE). */
  #wroteAt = 0;

  /** `endTurn` hands over what waited; it runs on setImmediate after a turn that made messages wait. */
  constructor(private readonly endTurn: () => void) {}

  /** Whether a message published now goes to the client at once (else it waits for endTurn). */
  direct(): boolean {
    if (this.#mode === WROTE) {
      if (idleTime() !== this.#wroteAt) this.#mode = DIRECT;
      else {
        this.#mode = WAIT;
        setImmediate(this.#end);
      }
    }
    return this.#mode !== WAIT;
  }

  /** Called after messages went to the client at once: notes the client's coming write. */
  handedOver(): void {
    if (this.#mode !== DIRECT) return;
    this.#mode = ARMED;
    // queued after the client's own flush microtask (FIFO), so it runs once that write is done
    void SETTLED.then(this.#clientWrote);
  }

  readonly #clientWrote = () => {
    this.#mode = WROTE;
    this.#wroteAt = idleTime();
  };

  readonly #end = () => {
    this.endTurn();
    this.#mode = DIRECT;
  };
}
