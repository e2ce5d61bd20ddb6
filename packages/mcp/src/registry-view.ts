// The registry's services kept current: one full read, then a watch whose events re-read just the
// services they name, a burst of events gathered into one update. A registry that fails keeps the
// last good view while we reconnect with backoff, so tools do not vanish on a registry hiccup.
import type { Logger, Registry, Service, Watcher } from "@micro/core";

export interface RegistryViewOptions {
  /** ms a burst of registry events is gathered into one update (default 50). */
  debounce?: number;
  /** First wait before re-watching a failed registry, ms; doubles up to 30 s (default 250). */
  retryMin?: number;
  logger: Logger;
  /** Called after every read with the whole view (service name → its records). */
  onUpdate(services: ReadonlyMap<string, readonly Service[]>): void;
}

// getService calls at once during a full read: quick on a big registry, gentle on a networked one.
const CONCURRENCY = 8;
const RETRY_MAX = 30_000;
// A watch that lived this long was a working connection: the next failure backs off from the start.
const HEALTHY_MS = 10_000;

export class RegistryView {
  readonly #registry: Registry;
  readonly #o: RegistryViewOptions;
  readonly #debounce: number;
  readonly #retryMin: number;
  #services = new Map<string, Service[]>();
  readonly #dirty = new Set<string>();
  #watcher: Watcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #closed = false;
  // reads run one at a time, so an older answer never lands after a newer one
  #queue: Promise<void> = Promise.resolve();
  readonly ready: Promise<void>;
  #markReady: () => void = () => {};

  constructor(registry: Registry, options: RegistryViewOptions) {
    this.#registry = registry;
    this.#o = options;
    this.#debounce = options.debounce ?? 50;
    this.#retryMin = Math.max(1, options.retryMin ?? 250);
    this.ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
    this.#run().catch((err) => this.#warn("registry loop failed", err));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    this.#stopWatcher();
    this.#markReady();
  }

  async #run(): Promise<void> {
    let delay = this.#retryMin;
    while (!this.#closed) {
      const started = Date.now();
      let events = 0;
      try {
        // watch before reading, so a change between the read and the watch is not lost
        const watcher = this.#registry.watch();
        this.#watcher = watcher;
        await this.#serial(() => this.#fullRead());
        for await (const event of watcher) {
          if (this.#closed) break;
          events++;
          const name = event?.service?.name;
          if (!name) continue;
          this.#dirty.add(name);
          this.#schedule(this.#debounce);
        }
        if (!this.#closed) this.#warn("registry watch ended; reconnecting");
      } catch (err) {
        if (!this.#closed) this.#warn("registry unavailable; keeping the last tool list", err);
      } finally {
        this.#stopWatcher();
      }
      if (this.#closed) break;
      // nothing read yet: an empty list beats keeping clients waiting on a dead registry
      this.#markReady();
      if (events > 0 || Date.now() - started >= HEALTHY_MS) delay = this.#retryMin;
      await this.#sleep(delay);
      delay = Math.min(delay * 2, RETRY_MAX);
    }
  }

  async #fullRead(): Promise<void> {
    const listed = await this.#registry.listServices();
    const names = [...new Set(listed.map((s) => s?.name).filter((n): n is string => !!n))];
    const next = new Map<string, Service[]>();
    await forEachLimit(names, async (name) => {
      const records = await this.#registry.getService(name);
      if (records.length) next.set(name, records);
    });
    this.#services = next;
    this.#publish();
  }

  async #reread(): Promise<void> {
    const names = [...this.#dirty];
    this.#dirty.clear();
    const failed: string[] = [];
    await forEachLimit(names, async (name) => {
      try {
        const records = await this.#registry.getService(name);
        if (records.length) this.#services.set(name, records);
        else this.#services.delete(name);
      } catch (err) {
        failed.push(name);
        this.#warn(`cannot read service ${name}`, err);
      }
    });
    this.#publish();
    if (failed.length && !this.#closed) {
      for (const n of failed) this.#dirty.add(n);
      this.#schedule(this.#retryMin);
    }
  }

  #schedule(ms: number): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#serial(() => this.#reread()).catch((err) => this.#warn("registry re-read failed", err));
    }, ms);
    this.#timer.unref();
  }

  #publish(): void {
    if (this.#closed) return;
    try {
      this.#o.onUpdate(this.#services);
    } catch (err) {
      this.#warn("cannot build the tool list; keeping the last one", err);
    }
    this.#markReady();
  }

  #serial(fn: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** A pause that close() cuts short and that does not hold the process open. */
  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#wake = done;
    });
  }

  #stopWatcher(): void {
    const w = this.#watcher;
    this.#watcher = undefined;
    try {
      w?.stop();
    } catch {
      // already stopped, or the registry is gone: nothing left to release
    }
  }

  #warn(msg: string, err?: unknown): void {
    try {
      this.#o.logger.warn(err === undefined ? `mcp: ${msg}` : `mcp: ${msg}: ${errText(err)}`);
    } catch {
      // a failing logger must not take the tool list down with it
    }
  }
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function forEachLimit<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
