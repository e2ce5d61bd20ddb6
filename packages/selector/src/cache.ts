// go-micro's registry cache: each service's versions and nodes, fetched once, kept current by a
// registry watch, refreshed after a TTL in case an event was missed, and served stale while the
// registry is unreachable.
import type { Logger, Registry, RegistryEvent, Service, Watcher } from "@micro/core";
import { cloneService } from "@micro/core/plugin-kit";
import { applyEvent } from "./apply-event.js";

export interface CacheOptions {
  registry: Registry;
  /** ms an entry is served without asking the registry again. */
  ttl: number;
  logger: Logger;
  /** ms to keep serving a stale entry before asking a failing registry again. */
  retryAfter?: number;
  now?: () => number;
}

interface Entry {
  services: Service[];
  fetchedAt: number;
  // epoch ms after which the next lookup asks the registry
  refreshAt: number;
}

interface Lookup {
  promise: Promise<Service[]>;
  // events that arrive while the registry answers; replayed on its answer (they are idempotent)
  events: RegistryEvent[];
}

interface WatchState {
  watcher?: Watcher;
  timer?: NodeJS.Timeout;
  wake?: () => void;
}

const MAX_WATCH_BACKOFF = 30_000;

export class RegistryCache {
  readonly #entries = new Map<string, Entry>();
  readonly #lookups = new Map<string, Lookup>();
  readonly #watches = new Map<string, WatchState>();
  readonly #o: Required<CacheOptions>;
  #closed = false;

  constructor(options: CacheOptions) {
    this.#o = { retryAfter: Math.min(1000, options.ttl), now: Date.now, ...options };
  }

  /** The service's versions (empty when the registry knows none); rejects only with nothing cached. */
  get(service: string): Promise<Service[]> {
    const entry = this.#entries.get(service);
    if (entry && this.#o.now() < entry.refreshAt) return Promise.resolve(entry.services);
    return this.#lookups.get(service)?.promise ?? this.#lookup(service);
  }

  #lookup(service: string): Promise<Service[]> {
    const lookup: Lookup = { promise: Promise.resolve([]), events: [] };
    this.#watch(service); // before asking, so no change slips between the answer and the watch
    lookup.promise = this.#ask(service, lookup).finally(() => this.#lookups.delete(service));
    this.#lookups.set(service, lookup);
    return lookup.promise;
  }

  async #ask(service: string, lookup: Lookup): Promise<Service[]> {
    let services: Service[];
    try {
      services = (await this.#o.registry.getService(service)).map(cloneService);
    } catch (err) {
      const stale = this.#entries.get(service);
      if (!stale || this.#closed) throw err;
      const age = Math.round((this.#o.now() - stale.fetchedAt) / 1000);
      this.#o.logger.warn(
        `selector: registry lookup of ${service} failed (${err instanceof Error ? err.message : err}); using nodes cached ${age}s ago`,
      );
      stale.refreshAt = this.#o.now() + this.#o.retryAfter;
      return stale.services;
    }
    for (const event of lookup.events) services = applyEvent(services, event);
    if (this.#closed) return services;
    // go-micro caches nothing for an unknown service: it may appear at any moment
    if (!services.length) this.#entries.delete(service);
    else {
      const now = this.#o.now();
      this.#entries.set(service, { services, fetchedAt: now, refreshAt: now + this.#o.ttl });
    }
    return services;
  }

  #apply(service: string, event: RegistryEvent): void {
    if (event.service.name !== service) return;
    this.#lookups.get(service)?.events.push(event);
    const entry = this.#entries.get(service);
    if (!entry) return;
    const services = applyEvent(entry.services, event);
    // an empty entry would be served as "not found" until the TTL; ask the registry instead
    if (services.length) entry.services = services;
    else this.#entries.delete(service);
  }

  #watch(service: string): void {
    if (this.#closed || this.#watches.has(service)) return;
    this.#watches.set(service, {});
    void this.#watchLoop(service);
  }

  async #watchLoop(service: string): Promise<void> {
    let failures = 0;
    for (;;) {
      const state = this.#watches.get(service);
      if (this.#closed || !state) return;
      try {
        state.watcher = this.#o.registry.watch({ service });
        for (;;) {
          const event = await state.watcher.next();
          failures = 0;
          this.#apply(service, event);
        }
      } catch (err) {
        state.watcher?.stop();
        state.watcher = undefined;
        if (this.#closed || this.#watches.get(service) !== state) return;
        // events may have been lost: the next lookup asks the registry (stale data stays as a fallback)
        const entry = this.#entries.get(service);
        if (entry) entry.refreshAt = 0;
        const wait = Math.min(MAX_WATCH_BACKOFF, 100 * 2 ** failures++);
        this.#o.logger.debug(
          `selector: watch of ${service} ended (${err instanceof Error ? err.message : err}); retrying in ${wait}ms`,
        );
        await new Promise<void>((resolve) => {
          state.wake = resolve;
          state.timer = setTimeout(resolve, wait);
          state.timer.unref();
        });
      }
    }
  }

  /** Forgets a service: its entry and its watch. */
  forget(service: string): void {
    this.#entries.delete(service);
    const state = this.#watches.get(service);
    this.#watches.delete(service);
    if (state) this.#stopWatch(state);
  }

  #stopWatch(state: WatchState): void {
    clearTimeout(state.timer);
    state.watcher?.stop();
    state.wake?.(); // a loop waiting to retry sees it is no longer wanted and ends
  }

  close(): void {
    this.#closed = true;
    for (const state of this.#watches.values()) this.#stopWatch(state);
    this.#watches.clear();
    this.#entries.clear();
  }
}
