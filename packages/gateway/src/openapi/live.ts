// The OpenAPI document kept current from the registry: one full read, then a watch whose events
// re-read just the services they name. Serving the document never waits on the registry once it has
// been built; a registry that goes away leaves the last good document in place while we reconnect.
import { createHash } from "node:crypto";
import { getLogger, type Logger, type Registry, type Service, type Watcher } from "@micro/core";
import { buildOpenApiDocument, type OpenApiDocument, type OpenApiOptions } from "./document.js";
import { cmp } from "./schema.js";

export interface LiveOpenApiOptions extends OpenApiOptions {
  /** How long a burst of registry events is gathered into one rebuild, in ms (default 50). */
  debounce?: number;
  /** First wait before re-watching a registry that failed, in ms; doubles up to retryMax (default 250). */
  retryMin?: number;
  /** Longest wait between attempts to reach the registry, in ms (default 30 000). */
  retryMax?: number;
  /** Where registry failures are reported (default: the process logger). */
  logger?: Logger;
}

// How many getService calls a full read makes at once: enough to be quick on a big registry,
// few enough not to flood a networked one.
const FETCH_CONCURRENCY = 8;
// A watch that lived this long was a working connection: the next failure starts backing off anew.
const HEALTHY_WATCH_MS = 10_000;

export class LiveOpenApi {
  readonly #registry: Registry;
  readonly #options: OpenApiOptions;
  readonly #debounce: number;
  readonly #retryMin: number;
  readonly #retryMax: number;
  readonly #log: Logger;

  #services = new Map<string, Service[]>();
  readonly #dirty = new Set<string>();
  #text: string | undefined;
  #bytes: Uint8Array | undefined;
  #etag = "";
  #doc: OpenApiDocument | undefined;

  readonly #ready: Promise<void>;
  #markReady: () => void = () => {};
  #closed = false;
  #watcher: Watcher | undefined;
  #flushTimer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  // Full reads and per-service re-reads run one at a time, so an older answer never lands last.
  #queue: Promise<void> = Promise.resolve();

  constructor(registry: Registry, options: LiveOpenApiOptions = {}) {
    const { debounce, retryMin, retryMax, logger, ...doc } = options;
    this.#registry = registry;
    this.#options = doc;
    this.#debounce = debounce ?? 50;
    this.#retryMin = Math.max(1, retryMin ?? 250);
    this.#retryMax = Math.max(this.#retryMin, retryMax ?? 30_000);
    this.#log = logger ?? getLogger();
    this.#ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });
    this.#run().catch((err) => this.#report("openapi: registry loop failed", err));
  }

  /** The serialised document (UTF-8 JSON); the first call waits for the first registry read. */
  async json(): Promise<Uint8Array> {
    await this.#ready;
    return this.#bytes!;
  }

  /** A strong ETag of the current document, for conditional GETs. */
  async etag(): Promise<string> {
    await this.#ready;
    return this.#etag;
  }

  /** A copy of the current document. */
  async document(): Promise<OpenApiDocument> {
    await this.#ready;
    return structuredClone(this.#doc!);
  }

  /** Stops watching; the last document stays readable. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#wake?.();
    this.#stopWatcher();
    if (!this.#bytes) this.#publish();
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
        if (!this.#closed) this.#report("openapi: registry watch ended; reconnecting");
      } catch (err) {
        if (!this.#closed) this.#report("openapi: registry unavailable; serving the last document", err);
      } finally {
        this.#stopWatcher();
      }
      if (this.#closed) break;
      // Nothing read yet: an empty document beats keeping HTTP requests waiting on the registry.
      if (!this.#bytes) this.#publish();
      if (events > 0 || Date.now() - started >= HEALTHY_WATCH_MS) delay = this.#retryMin;
      await this.#sleep(delay);
      delay = Math.min(delay * 2, this.#retryMax);
    }
  }

  async #fullRead(): Promise<void> {
    const listed = await this.#registry.listServices();
    const names = [...new Set(listed.map((s) => s?.name).filter((n): n is string => !!n))].sort(cmp);
    const next = new Map<string, Service[]>();
    await forEachLimit(names, FETCH_CONCURRENCY, async (name) => {
      const records = await this.#registry.getService(name);
      if (records.length) next.set(name, records);
    });
    this.#services = next;
    this.#publish();
  }

  async #reread(): Promise<void> {
    const names = [...this.#dirty].sort(cmp);
    this.#dirty.clear();
    const failed: string[] = [];
    await forEachLimit(names, FETCH_CONCURRENCY, async (name) => {
      try {
        const records = await this.#registry.getService(name);
        if (records.length) this.#services.set(name, records);
        else this.#services.delete(name);
      } catch (err) {
        failed.push(name);
        this.#report(`openapi: cannot read service ${name}`, err);
      }
    });
    this.#publish();
    if (failed.length && !this.#closed) {
      for (const name of failed) this.#dirty.add(name);
      this.#schedule(this.#retryMin);
    }
  }

  /** One rebuild per window: the first event starts the timer, later ones join it. */
  #schedule(ms: number): void {
    if (this.#flushTimer || this.#closed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#serial(() => this.#reread()).catch((err) => this.#report("openapi: rebuild failed", err));
    }, ms);
    this.#flushTimer.unref();
  }

  #publish(): void {
    const services = [...this.#services.keys()].sort(cmp).flatMap((n) => this.#services.get(n)!);
    let doc: OpenApiDocument;
    try {
      doc = buildOpenApiDocument(services, this.#options);
    } catch (err) {
      this.#report("openapi: cannot build the document; keeping the last one", err);
      if (this.#bytes) return;
      doc = buildOpenApiDocument([], this.#options);
    }
    const text = JSON.stringify(doc);
    // An unchanged document keeps its bytes and ETag, so caches stay valid across no-op events.
    if (text !== this.#text) {
      this.#text = text;
      this.#bytes = new TextEncoder().encode(text);
      this.#etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 32)}"`;
      this.#doc = doc;
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

  #report(msg: string, err?: unknown): void {
    try {
      if (err === undefined) this.#log.warn(msg);
      else this.#log.warn(`${msg}: ${err instanceof Error ? err.message : String(err)}`);
    } catch {
      // a failing logger must not take the document down with it
    }
  }
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
