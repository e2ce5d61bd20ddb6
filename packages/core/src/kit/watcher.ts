// Every registry's watch is a queue of events with a stop hook; this makes one a Watcher.

import type { RegistryEvent, Watcher } from "../registry.js";
import type { AsyncQueue } from "./async-queue.js";

export function queueWatcher(queue: AsyncQueue<RegistryEvent>, onStop?: () => void): Watcher {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    queue.end();
    onStop?.();
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
