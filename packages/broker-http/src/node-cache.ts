// Publishers look up subscribers on every publish; asking the registry each time would put a network
// round trip (and mdns queries) on the hot path, so lookups are served from a copy kept current by a
// registry watch and refetched when older than a TTL.
import type { Logger, Registry, RegistryEvent, Service, Watcher } from "@micro/core";
import { cloneService } from "@micro/core/plugin-kit";
import { BROKER_SERVICE } from "./names.js";

export interface NodeCacheOptions {
  /** ms after which the copy is refetched even if the watch said nothing (go-micro's cache: 1 minute). */
  ttl: number;
  logger: Logger;
}

const UNWATCHED_TTL = 5000;

export class BrokerNodeCache {
  readonly #registry: Registry;
  readonly #options: NodeCacheOptions;
  #services: Service[] | undefined;
  #fetchedAt = 0;
  #fetching: Promise<Service[]> | undefined;
  // Events seen while a fetch is in flight, replayed on its result so none falls between the two.
  #buffered: RegistryEvent[] | undefined;
  #watcher: Watcher | undefined;
  // When a watch fails it is retried no sooner than this, and meanwhile the copy is trusted for
  // UNWATCHED_TTL only: a broken watch must neither be restarted per publish nor leave us stale.
  #watchRetryAt = 0;
  #closed = false;

  constructor(registry: Registry, options: NodeCacheOptions) {
    this.#registry = registry;
    this.#options = options;
  }

  /** The `micro.http.broker` services (one per version), at most `maxAge` ms old. */
  async get(maxAge = this.#options.ttl): Promise<Service[]> {
    this.#closed = false;
    const limit = this.#watcher ? maxAge : Math.min(maxAge, UNWATCHED_TTL);
    if (this.#services && Date.now() - this.#fetchedAt < limit) return this.#services;
    this.#fetching ??= this.#fetch().finally(() => {
      this.#fetching = undefined;
    });
    return this.#fetching;
  }

  /** Forgets a node until the registry reports it again (it kept refusing deliveries). */
  drop(nodeId: string): void {
    if (!this.#services) return;
    this.#services = this.#services
      .map((s) => ({ ...s, nodes: s.nodes.filter((n) => n.id !== nodeId) }))
      .filter((s) => s.nodes.length > 0);
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.stop();
    this.#watcher = undefined;
    this.#services = undefined;
  }

  async #fetch(): Promise<Service[]> {
    this.#watch();
    this.#buffered = [];
    try {
      const services = (await this.#registry.getService(BROKER_SERVICE)).map(cloneService);
      this.#services = services;
      this.#fetchedAt = Date.now();
      for (const e of this.#buffered) this.#apply(e);
      return this.#services;
    } finally {
      this.#buffered = undefined;
    }
  }

  #watch(): void {
    if (this.#watcher || this.#closed || Date.now() < this.#watchRetryAt) return;
    let watcher: Watcher;
    try {
      watcher = this.#registry.watch({ service: BROKER_SERVICE });
    } catch (err) {
      this.#options.logger.debug("http broker: registry cannot watch; relying on the cache TTL", err);
      this.#watchRetryAt = Date.now() + UNWATCHED_TTL;
      return;
    }
    this.#watcher = watcher;
    void (async () => {
      try {
        for await (const event of watcher) this.#onEvent(event);
      } catch (err) {
        if (!this.#closed) this.#options.logger.warn("http broker: registry watch failed", err);
      } finally {
        if (this.#watcher === watcher) {
          // events may have been missed: refetch on the next publish, re-watch a little later
          this.#watcher = undefined;
          this.#services = undefined;
          this.#watchRetryAt = Date.now() + UNWATCHED_TTL;
        }
      }
    })();
  }

  #onEvent(event: RegistryEvent): void {
    if (event.service.name !== BROKER_SERVICE) return;
    if (this.#buffered) this.#buffered.push(event);
    else this.#apply(event);
  }

  #apply(event: RegistryEvent): void {
    if (!this.#services) return;
    const { service, action } = event;
    let entry = this.#services.find((s) => s.version === service.version);
    if (action === "delete") {
      if (!entry) return;
      const gone = new Set(service.nodes.map((n) => n.id));
      entry.nodes = entry.nodes.filter((n) => !gone.has(n.id));
      if (entry.nodes.length === 0) this.#services = this.#services.filter((s) => s !== entry);
      return;
    }
    if (!entry) {
      entry = { ...cloneService(service), nodes: [] };
      this.#services = [...this.#services, entry];
    }
    for (const node of service.nodes) {
      const copy = structuredClone(node);
      const i = entry.nodes.findIndex((n) => n.id === node.id);
      if (i >= 0) entry.nodes[i] = copy;
      else entry.nodes.push(copy);
    }
  }
}
