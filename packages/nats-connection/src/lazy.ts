// go-micro's NATS registry, broker and transport connect on first use, not when they are made:
// creating one must neither fail nor leave a socket behind when it is never used. Callers that
// arrive while an attempt runs share it; a failed attempt is forgotten, so the next use tries
// again; a connection that has closed is replaced on the next use.

export class LazyConnection<T, A extends unknown[] = []> {
  readonly #open: (...args: A) => Promise<T>;
  readonly #closed: (value: T) => boolean;
  #value: T | undefined;
  #attempt: Promise<T> | undefined;
  // bumped by release(): an attempt started before it does not become the connection
  #epoch = 0;

  /**
   * `open` connects (the arguments of the get() that starts an attempt are passed on) and may set up
   * what goes with the connection; `closed` says whether what it gave has closed since.
   */
  constructor(open: (...args: A) => Promise<T>, closed: (value: T) => boolean) {
    this.#open = open;
    this.#closed = closed;
  }

  /** What the last attempt opened, while it is open. */
  get current(): T | undefined {
    const value = this.#value;
    return value !== undefined && !this.#closed(value) ? value : undefined;
  }

  /** The open connection, or the attempt under way, or a new attempt. */
  get(...args: A): Promise<T> {
    const value = this.current;
    if (value !== undefined) return Promise.resolve(value);
    if (this.#attempt) return this.#attempt;
    const epoch = this.#epoch;
    const attempt = this.#open(...args).then((opened) => {
      if (this.#epoch === epoch) this.#value = opened;
      return opened;
    });
    this.#attempt = attempt;
    const done = () => {
      if (this.#attempt === attempt) this.#attempt = undefined;
    };
    attempt.then(done, done);
    return attempt;
  }

  /** Forgets the connection and returns it (the caller closes it); the next get() opens another. */
  reset(): T | undefined {
    const value = this.#value;
    this.#value = undefined;
    return value;
  }

  /**
   * reset(), and an attempt under way is waited for: what it opens is returned rather than kept
   * (undefined when it fails), so nothing opened before the release outlives it.
   */
  async release(): Promise<T | undefined> {
    this.#epoch++;
    const attempt = this.#attempt;
    this.#attempt = undefined;
    const value = this.reset();
    if (value !== undefined || !attempt) return value;
    return attempt.catch(() => undefined);
  }
}
