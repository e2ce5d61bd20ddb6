// The registry's services kept current: one full read, then a watch whose events re-read just the
// services they name, a burst of events gathered into one update. A registry that fails keeps the
// last good view while we reconnect with backoff. Timers are unref'd (a view never holds the process
// open) and every failure is logged, never left as an unhandled rejection. The gateway's OpenAPI
// document and the MCP tool list are both built from one of these.
import { getLogger, type Logger, type Registry, type Service, type Watcher } from "@micro/core";
import { mapLimit } from "@micro/core/internal";

export interface LiveServicesOptions {
  /** How long a burst of registry events is gathered into one update, in ms (default 50). */
  debounce?: number;
  /** First wait before re-watching a registry that failed, in ms; doubles up to retryMax (default 250). */
  retryMin?: number;
  /** Longest wait between attempts to reach the registry, in ms (default 30 000). */
  retryMax?: number;
  /** Where registry failures are reported (default: the process logger). */
  logger?: Logger;
  /** Starts each log line: "openapi" gives "openapi: registry watch ended; reconnecting". */
  label?: string;
  /** What the owner goes on doing while the registry is away, for the log ("keeping the last view"). */
  whileAway?: string;
  /**
   * Called after every read (the first full one, each debounced re-read) with the whole view, service
   * name → its records; not called after close(). Its errors are logged.
   */
  onChange?(services: ReadonlyMap<string, readonly Service[]>): void;
}

// How many getService calls a read makes at once: enough to be quick on a big registry, few enough
// not to flood a networked one.
const FETCH_CONCURRENCY = 8;
// A watch that lived this long was a working connection: the next failure starts backing off anew.
const HEALTHY_WATCH_MS = 10_000;

export class LiveServices {
  readonly #registry: Registry;
  readonly #debounce: number;
  readonly #retryMin: number;
  readonly #retryMax: number;
  readonly #log: Logger;
  readonly #label: string;
  readonly #whileAway: string;
  readonly #onChange: LiveServicesOptions["onChange"];

  #services = new Map<string, Service[]>();
  readonly #dirty = new Set<string>();
  #closed = false;
  #watcher: Watcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  // Full reads and per-service re-reads run one at a time, so an older answer never lands last.
  #queue: Promise<void> = Promise.resolve();
  #markReady: () => void = () => {};
  /** Resolves after the first full read, the first failure to reach the registry, or close(). */
  readonly ready: Promise<void>;

  constructor(registry: Registry, options: LiveServicesOptions = {}) {
    this.#registry = registry;
    this.#debounce = options.debounce ?? 50;
    this.#retryMin = Math.max(1, options.retryMin ?? 250);
    this.#retryMax = Math.max(this.#retryMin, options.retryMax ?? 30_000);
    this.#log = options.logger ?? getLogger();
    this.#label = options.label ?? "registry view";
    this.#whileAway = options.whileAway ?? "keeping the last view";
    this.#onChange = options.onChange;
    this.ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
    this.#run().catch((err) => this.warn("registry loop failed", err));
  }

  /** The current view: service name → its records (every version). */
  get services(): ReadonlyMap<string, readonly Service[]> {
    return this.#services;
  }

  /** Every record of the view, by service name. */
  list(): Service[] {
    return [...this.#services.keys()].sort().flatMap((n) => this.#services.get(n)!);
  }

  /** Stops watching; the last view stays readable. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
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
        // Watch before reading, so a change between the read and the watch is not lost.
        const watcher = this.#registry.watch();
        this.#watcher = watcher;
        if (this.#closed) break;
        await this.#serial(() => this.#fullRead());
        for await (const event of watcher) {
          if (this.#closed) break;
          events++;
          const name = event?.service?.name;
          if (!name) continue;
          this.#dirty.add(name);
          this.#schedule(this.#debounce);
        }
        if (!this.#closed) this.warn("registry watch ended; reconnecting");
      } catch (err) {
        if (!this.#closed) this.warn(`registry unavailable; ${this.#whileAway}`, err);
      } finally {
        this.#stopWatcher();
      }
      if (this.#closed) break;
      // Nothing read yet: an empty view beats keeping the owner's readers waiting on the registry.
      this.#markReady();
      if (events > 0 || Date.now() - started >= HEALTHY_WATCH_MS) delay = this.#retryMin;
      await this.#sleep(delay);
      delay = Math.min(delay * 2, this.#retryMax);
    }
  }

  async #fullRead(): Promise<void> {
    const listed = await this.#registry.listServices();
    const names = [...new Set(listed.map((s) => s?.name).filter((n): n is string => !!n))].sort();
    const next = new Map<string, Service[]>();
    await mapLimit(names, FETCH_CONCURRENCY, async (name) => {
      const records = await this.#registry.getService(name);
      if (records.length) next.set(name, records);
    });
    this.#services = next;
    this.#notify();
  }

  async #reread(): Promise<void> {
    const names = [...this.#dirty].sort();
    this.#dirty.clear();
    const failed: string[] = [];
    await mapLimit(names, FETCH_CONCURRENCY, async (name) => {
      try {
        const records = await this.#registry.getService(name);
        if (records.length) this.#services.set(name, records);
        else this.#services.delete(name);
      } catch (err) {
        failed.push(name);
        this.warn(`cannot read service ${name}`, err);
      }
    });
    this.#notify();
    if (failed.length && !this.#closed) {
      for (const name of failed) this.#dirty.add(name);
      this.#schedule(this.#retryMin);
    }
  }

  /** One update per window: the first event starts the timer, later ones join it. */
  #schedule(ms: number): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#serial(() => this.#reread()).catch((err) => this.warn("registry re-read failed", err));
    }, ms);
    this.#timer.unref();
  }

  #notify(): void {
    if (this.#closed) return;
    try {
      this.#onChange?.(this.#services);
    } catch (err) {
      this.warn("update failed; keeping the last one", err);
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
      // already stopped, or the registry is gone: either way nothing is left to release
    }
  }

  /** Logs a warning under this view's label (with `err`'s message); a failing logger is ignored. */
  warn(msg: string, err?: unknown): void {
    try {
      const text = `${this.#label}: ${msg}`;
      if (err === undefined) this.#log.warn(text);
      else this.#log.warn(`${text}: ${err instanceof Error ? err.message : String(err)}`);
    } catch {
      // a failing logger must not take the view down with it
    }
  }
}
