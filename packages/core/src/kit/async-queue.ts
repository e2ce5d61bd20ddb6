// An unbounded push/pull queue that is also an AsyncIterable: the building block for registry
// watchers, transport sockets and streams. `end()` finishes iteration after buffered items are
// drained; `fail(err)` makes the next pull reject.

export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #head = 0;
  #waiters: { resolve: (v: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  #done = false;
  #error: unknown = undefined;

  get closed(): boolean {
    return this.#done;
  }

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): boolean {
    if (this.#done) return false;
    const w = this.#waiters.shift();
    if (w) w.resolve({ value: item, done: false });
    else this.#items.push(item);
    return true;
  }

  /** No more items: pending and future pulls finish once buffered items are consumed. */
  end(): void {
    if (this.#done) return;
    this.#done = true;
    for (const w of this.#waiters.splice(0)) w.resolve({ value: undefined as never, done: true });
  }

  /** Ends the queue with an error that pulls see after buffered items are consumed. */
  fail(err: unknown): void {
    if (this.#done) return;
    this.#done = true;
    this.#error = err ?? new Error("queue failed");
    for (const w of this.#waiters.splice(0)) w.reject(this.#error);
  }

  /** Resolves the next item, or `{done: true}` once ended and drained. */
  pull(): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head]!;
      this.#items[this.#head++] = undefined as never;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) {
      return this.#error !== undefined
        ? Promise.reject(this.#error)
        : Promise.resolve({ value: undefined as never, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => this.pull(),
      return: async () => {
        this.end();
        return { value: undefined as never, done: true };
      },
    };
  }
}
