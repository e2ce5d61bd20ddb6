// The read deadlines of an accepted connection, after Go's http.Server: a request's header block must
// arrive within `headerMs` of its first byte (ReadHeaderTimeout), and a connection waiting for its
// next request with nothing owed to it is closed after `idleMs` (IdleTimeout); a body that stops
// arriving for `idleMs` is given up too. While the server owes the peer something (a reply, an open
// stream, room in the body budget) nothing is timed: the wait is ours, not the peer's.
//
// State changes only write two fields; the one timer is re-armed when it fires (or when a shorter
// deadline starts), so a busy connection costs no timer work per request.

export type Expiry = "header" | "idle" | "body";

const NONE = 0;
const IDLE = 1;
const HEAD = 2;
const BODY = 3;
type Kind = typeof NONE | typeof IDLE | typeof HEAD | typeof BODY;

const NAMES: readonly Expiry[] = ["idle", "idle", "header", "body"];

export class ReadDeadline {
  #kind: Kind = NONE;
  #since = 0;
  #timer: NodeJS.Timeout | undefined;
  #fireAt = Infinity;
  #stopped = false;

  constructor(
    private readonly headerMs: number,
    private readonly idleMs: number,
    private readonly expire: (what: Expiry) => void,
  ) {}

  /** Waiting for the peer's next request, everything before it answered. `restart`: count anew. */
  idle(restart = false): void {
    this.#set(IDLE, restart);
  }

  /** A header block has started to arrive. */
  head(): void {
    this.#set(HEAD, false);
  }

  /** Inside a body: each read restarts the count. */
  body(): void {
    this.#set(BODY, true);
  }

  /** The wait is on our side: no deadline. */
  busy(): void {
    this.#kind = NONE;
  }

  stop(): void {
    this.#stopped = true;
    this.#kind = NONE;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #limit(kind: Kind): number {
    return kind === HEAD ? this.headerMs : kind === NONE ? 0 : this.idleMs;
  }

  #set(kind: Kind, restart: boolean): void {
    if (this.#stopped || (kind === this.#kind && !restart)) return;
    this.#kind = kind;
    const ms = this.#limit(kind);
    if (ms <= 0) return;
    const now = Date.now();
    this.#since = now;
    // a timer set for later is brought forward; one set for sooner re-arms itself when it fires
    if (now + ms < this.#fireAt) this.#arm(now + ms);
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#fireAt = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - Date.now()));
    // a deadline is no reason to keep the process running
    this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#fireAt = Infinity;
    if (this.#stopped) return;
    const kind = this.#kind;
    const ms = this.#limit(kind);
    if (ms <= 0) return;
    const since = this.#since;
    if (Date.now() < since + ms) {
      this.#arm(since + ms);
      return;
    }
    // after a long stall of the event loop the timer runs before the reads that arrived meanwhile:
    // let them in (the poll phase comes before setImmediate) and look again
    setImmediate(() => {
      if (this.#stopped) return;
      if (this.#kind === kind && this.#since === since) this.expire(NAMES[kind]!);
      else if (this.#kind !== NONE && this.#limit(this.#kind) > 0)
        this.#arm(this.#since + this.#limit(this.#kind));
    });
  };
}
