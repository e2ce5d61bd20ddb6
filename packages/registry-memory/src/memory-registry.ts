// A registry inside one process: what go-micro's memory registry does, with TTLs and watches, so
// tests and single-process apps exercise the same code paths as a networked registry.
import type { RegisterOptions, Registry, RegistryEvent, Service, Watcher, WatchOptions } from "@micro/core";
import { AsyncQueue, cloneService, mergeByVersion, queueWatcher } from "@micro/core/plugin-kit";

interface Entry {
  service: Service; // one node
  expires: number; // epoch ms; Infinity = no TTL
}

export interface MemoryRegistryOptions {
  /** Services to start with (go-micro's `Services` option). */
  services?: Service[];
  /** How often expired nodes are swept, in ms (default 1000). */
  sweepInterval?: number;
}

export class MemoryRegistry implements Registry {
  readonly name = "memory";
  // service name -> node id -> entry
  readonly #entries = new Map<string, Map<string, Entry>>();
  readonly #watchers = new Set<{ queue: AsyncQueue<RegistryEvent>; service?: string }>();
  #sweeper: NodeJS.Timeout | undefined;
  readonly #sweepInterval: number;

  constructor(options: MemoryRegistryOptions = {}) {
    this.#sweepInterval = options.sweepInterval ?? 1000;
    for (const s of options.services ?? []) this.#put(s, Number.POSITIVE_INFINITY);
  }

  async register(service: Service, options: RegisterOptions = {}): Promise<void> {
    if (!service.name) throw new TypeError("register: service name is required");
    const expires = options.ttl && options.ttl > 0 ? Date.now() + options.ttl : Number.POSITIVE_INFINITY;
    this.#put(service, expires);
    if (Number.isFinite(expires)) this.#ensureSweeper();
  }

  #put(service: Service, expires: number): void {
    let nodes = this.#entries.get(service.name);
    if (!nodes) {
      nodes = new Map();
      this.#entries.set(service.name, nodes);
    }
    for (const node of service.nodes) {
      const one = { ...cloneService(service), nodes: [structuredClone(node)] };
      const prev = nodes.get(node.id);
      nodes.set(node.id, { service: one, expires });
      if (!prev) this.#emit("create", one);
      else if (JSON.stringify(prev.service) !== JSON.stringify(one)) this.#emit("update", one);
    }
  }

  async deregister(service: Service): Promise<void> {
    const nodes = this.#entries.get(service.name);
    if (!nodes) return;
    for (const node of service.nodes) {
      const prev = nodes.get(node.id);
      if (!prev) continue;
      nodes.delete(node.id);
      this.#emit("delete", prev.service);
    }
    if (nodes.size === 0) this.#entries.delete(service.name);
  }

  async getService(name: string): Promise<Service[]> {
    this.#sweep();
    const nodes = this.#entries.get(name);
    if (!nodes) return [];
    return mergeByVersion([...nodes.values()].map((e) => e.service));
  }

  async listServices(): Promise<Service[]> {
    this.#sweep();
    const all: Service[] = [];
    for (const nodes of this.#entries.values()) all.push(...[...nodes.values()].map((e) => e.service));
    return mergeByVersion(all).sort((a, b) => a.name.localeCompare(b.name));
  }

  watch(options: WatchOptions = {}): Watcher {
    const queue = new AsyncQueue<RegistryEvent>();
    const w = { queue, service: options.service };
    this.#watchers.add(w);
    return queueWatcher(queue, () => this.#watchers.delete(w));
  }

  async close(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const w of this.#watchers) w.queue.end();
    this.#watchers.clear();
  }

  #emit(action: RegistryEvent["action"], service: Service): void {
    for (const w of this.#watchers) {
      if (w.service && w.service !== service.name) continue;
      w.queue.push({ action, service: cloneService(service) });
    }
  }

  #ensureSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.#sweep(), this.#sweepInterval);
    this.#sweeper.unref();
  }

  #sweep(): void {
    const now = Date.now();
    for (const [name, nodes] of this.#entries) {
      for (const [id, e] of nodes) {
        if (e.expires <= now) {
          nodes.delete(id);
          this.#emit("delete", e.service);
        }
      }
      if (nodes.size === 0) this.#entries.delete(name);
    }
  }
}
