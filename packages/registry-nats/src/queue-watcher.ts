// Adapts an AsyncQueue to the Registry Watcher contract: next() rejects once stopped, and leaving a
// for-await loop stops the watcher.
import type { AsyncQueue, RegistryEvent, Watcher } from "@micro/core";

export function queueWatcher(queue: AsyncQueue<RegistryEvent>, onStop: () => void): Watcher {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    queue.end();
    onStop();
  };
  return {
    next: async () => {
      const r = await queue.pull();
      if (r.done) throw new Error("watcher stopped");
      return r.value;
    },
    stop,
    [Symbol.asyncIterator]: () => ({
      next: () => queue.pull(),
      return: async () => {
        stop();
        return { value: undefined, done: true };
      },
    }),
  };
}
