// Runs async tasks one at a time per key (tasks of different keys run concurrently), so the steps
// of one node's registration never interleave with its deregistration or lease restore.
export class KeyedSerial {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const result = prev.then(task, task);
    const tail = result.catch(() => {});
    this.#tails.set(key, tail);
    // forget the key once its last task finished, so the map does not grow with old nodes
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
