// go-micro's registry cache (https://github.com/micro/go-micro/blob/v5.30.0/registry/cache/cache.go),
// which go-micro's selector and http broker both look services up through: each service's versions
// and nodes, fetched once, kept current by a watch of that service, asked for again after a TTL in
// case an event was missed, and served stale while the registry is unreachable.
import {
  getLogger,
  type Logger,
  type Registry,
  type RegistryEvent,
  type Service,
  type Watcher,
} from "@micro/core";
import { cloneService } from "@micro/core/plugin-kit";
import { applyEvent } from "./apply-event.js";

export interface RegistryCacheOptions {
  /** ms an answer is served without asking the registry again (default 60 000, go-micro's). */
  ttl?: number;
  /**
   * ms an answer with no versions is served (default 0: go-micro asks again every time, since the
   * service may appear at any moment). Events still reach it in the meantime.
   */
  notFoundTTL?: number;
  /**
   * ms an answer is served while its watch is not running (could not start, or broke and waits to be
   * retried), so a registry that cannot watch is asked this often at most, and nothing older is used.
   * Default 5000.
   */
  unwatchedTTL?: number;
  /** ms a stale answer is served after a failed lookup before the registry is asked again (default 1000, at most `ttl`). */
  retryAfter?: number;
  logger?: Logger;
  /** Who is caching, as the first word of its log lines (default "registry cache"). */
  name?: string;
  /** The clock, in epoch ms (default Date.now). */
  now?: () => number;
}

export const DEFAULT_CACHE_TTL = 60_000;
export const DEFAULT_UNWATCHED_TTL = 5000;
const MAX_WATCH_BACKOFF = 30_000;

interface Entry {
  services: Service[];
  fetchedAt: number;
  /** Epoch ms until which the entry is served as it is: the registry just failed (stale on error). */
  heldUntil: number;
  /** Events may have been missed (a watch broke or restarted): the next get asks the registry. */
  outdated: boolean;
}

interface Lookup {
  promise: Promise<Service[]>;
  // events that arrive while the registry answers; replayed on its answer (they are idempotent)
  events: RegistryEvent[];
}

interface WatchState {
  watcher?: Watcher;
  /** The watch is running: `watch()` returned and its `next()` has not failed since. */
  live: boolean;
  timer?: NodeJS.Timeout;
  wake?: () => void;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class RegistryCache {
  readonly #registry: Registry;
  readonly #entries = new Map<string, Entry>();
  readonly #lookups = new Map<string, Lookup>();
  readonly #watches = new Map<string, WatchState>();
  readonly #ttl: number;
  readonly #notFoundTTL: number;
  readonly #unwatchedTTL: number;
  readonly #retryAfter: number;
  readonly #logger: Logger;
  readonly #name: string;
  readonly #now: () => number;

  constructor(registry: Registry, options: RegistryCacheOptions = {}) {
    if (!registry) throw new TypeError("RegistryCache: a registry is required");
    this.#registry = registry;
    this.#ttl = options.ttl ?? DEFAULT_CACHE_TTL;
    this.#notFoundTTL = options.notFoundTTL ?? 0;
    this.#unwatchedTTL = options.unwatchedTTL ?? DEFAULT_UNWATCHED_TTL;
    this.#retryAfter = options.retryAfter ?? Math.min(1000, this.#ttl);
    this.#logger = options.logger ?? getLogger();
    this.#name = options.name ?? "registry cache";
    this.#now = options.now ?? (() => Date.now());
  }

  /**
   * The service's versions (empty when the registry knows none), from the cache when the answer is
   * younger than `maxAge` ms (default the TTL); rejects only when the registry fails with nothing cached.
   * Concurrent callers share one lookup. The caller must not modify what it gets.
   */
  get(service: string, maxAge = this.#ttl): Promise<Service[]> {
    const entry = this.#entries.get(service);
    if (entry && this.#fresh(service, entry, maxAge)) return Promise.resolve(entry.services);
    return this.#lookups.get(service)?.promise ?? this.#lookup(service);
  }

  #fresh(service: string, entry: Entry, maxAge: number): boolean {
    const now = this.#now();
    if (now < entry.heldUntil) return true;
    if (entry.outdated) return false;
    let limit = maxAge;
    if (!this.#watches.get(service)?.live) limit = Math.min(limit, this.#unwatchedTTL);
    if (!entry.services.length) limit = Math.min(limit, this.#notFoundTTL);
    return now - entry.fetchedAt < limit;
  }

  #lookup(service: string): Promise<Service[]> {
    const lookup: Lookup = { promise: Promise.resolve([]), events: [] };
    this.#watch(service); // before asking, so no change slips between the answer and the watch
    this.#lookups.set(service, lookup);
    lookup.promise = this.#ask(service, lookup).finally(() => {
      if (this.#lookups.get(service) === lookup) this.#lookups.delete(service);
    });
    return lookup.promise;
  }

  async #ask(service: string, lookup: Lookup): Promise<Service[]> {
    let services: Service[];
    try {
      services = (await this.#registry.getService(service)).map(cloneService);
    } catch (err) {
      // a lookup overtaken by forget() or close() has nothing to fall back on
      const stale = this.#lookups.get(service) === lookup ? this.#entries.get(service) : undefined;
      if (!stale?.services.length) throw err;
      const age = Math.round((this.#now() - stale.fetchedAt) / 1000);
      this.#logger.warn(
        `${this.#name}: registry lookup of ${service} failed (${reason(err)}); using nodes cached ${age}s ago`,
      );
      stale.heldUntil = this.#now() + this.#retryAfter;
      return stale.services;
    }
    for (const event of lookup.events) services = applyEvent(services, event);
    if (this.#lookups.get(service) === lookup) {
      this.#entries.set(service, { services, fetchedAt: this.#now(), heldUntil: 0, outdated: false });
    }
    return services;
  }

  #apply(service: string, event: RegistryEvent): void {
    if (event.service.name !== service) return;
    this.#lookups.get(service)?.events.push(event);
    const entry = this.#entries.get(service);
    // an entry left without versions is kept (a later create fills it), but served only for notFoundTTL
    if (entry) entry.services = applyEvent(entry.services, event);
  }

  #outdate(service: string): void {
    const entry = this.#entries.get(service);
    if (entry) entry.outdated = true;
  }

  #watch(service: string): void {
    if (this.#watches.has(service)) return;
    const state: WatchState = { live: false };
    this.#watches.set(service, state);
    void this.#watchLoop(service, state);
  }

  async #watchLoop(service: string, state: WatchState): Promise<void> {
    let failures = 0;
    while (this.#watches.get(service) === state) {
      try {
        state.watcher = this.#registry.watch({ service });
        state.live = true;
        // events between the last answer and this watch were not seen: ask again on the next get
        if (failures) this.#outdate(service);
        for (;;) {
          const event = await state.watcher.next();
          failures = 0;
          this.#apply(service, event);
        }
      } catch (err) {
        state.watcher?.stop();
        state.watcher = undefined;
        const broke = state.live;
        state.live = false;
        if (this.#watches.get(service) !== state) return;
        // events may have been lost: the next get asks the registry (the old answer stays as a fallback)
        if (broke) this.#outdate(service);
        const wait = Math.min(MAX_WATCH_BACKOFF, 100 * 2 ** failures++);
        this.#logger.debug(
          `${this.#name}: watch of ${service} ended (${reason(err)}); retrying in ${wait}ms`,
        );
        await new Promise<void>((resolve) => {
          state.wake = resolve;
          state.timer = setTimeout(resolve, wait);
          state.timer.unref();
        });
      }
    }
  }

  /**
   * Forgets a node of a service until the registry reports it again (its next answer, or an event):
   * for a node that keeps refusing what is sent to it.
   */
  drop(service: string, nodeId: string): void {
    const entry = this.#entries.get(service);
    if (!entry) return;
    entry.services = entry.services
      .map((s) => ({ ...s, nodes: s.nodes.filter((n) => n.id !== nodeId) }))
      .filter((s) => s.nodes.length > 0);
  }

  /** Forgets a service: its entry, its watch and any lookup under way. */
  forget(service: string): void {
    this.#entries.delete(service);
    this.#lookups.delete(service);
    const state = this.#watches.get(service);
    this.#watches.delete(service);
    if (state) this.#stopWatch(state);
  }

  #stopWatch(state: WatchState): void {
    clearTimeout(state.timer);
    state.watcher?.stop();
    state.wake?.(); // a loop waiting to retry sees it is no longer wanted and ends
  }

  /** Stops every watch and forgets everything. The cache can be used again: a later get starts afresh. */
  close(): void {
    for (const state of this.#watches.values()) this.#stopWatch(state);
    this.#watches.clear();
    this.#entries.clear();
    this.#lookups.clear();
  }
}
