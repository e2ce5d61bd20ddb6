// Watching Consul with blocking queries (`?index=<X-Consul-Index>&wait=`), as go-micro's watch plans
// do: the catalog's service list tells which services exist, one health query per service tells
// their nodes, and each answer is diffed against the last into per-node create/update/delete events.
// Diffing states (rather than relaying changes) means a watch that lost the agent for a while
// catches up with one correct set of events once it is back.
import type { RegistryEvent, Service, Watcher } from "@micro/core";
import { AsyncQueue, queueWatcher } from "@micro/core/plugin-kit";
import { goDuration } from "./duration.js";
import { entryService, type HealthEntry, healthyEntries } from "./entries.js";
import type { ConsulHttp } from "./http.js";
import type { ResolvedOptions } from "./options.js";

interface Logger {
  warn(msg: string, ...args: unknown[]): void;
  debug(msg: string, ...args: unknown[]): void;
}

interface Known {
  service: Service; // one node
  json: string;
}

interface ServiceLoop {
  abort: AbortController;
  nodes: Map<string, Known>;
}

const MIN_BACKOFF = 250;
const MAX_BACKOFF = 10_000;

/** A watch of one service, or of every service, as a Watcher over the events its polls find. */
export function consulWatcher(
  http: ConsulHttp,
  options: ResolvedOptions,
  logger: Logger,
  service: string | undefined,
  onStop: () => void,
): Watcher {
  const queue = new AsyncQueue<RegistryEvent>();
  const polls = new ConsulPolls(http, options, logger, queue, service);
  return queueWatcher(queue, () => {
    polls.stop();
    onStop();
  });
}

/** The blocking queries of one watch: the catalog's (all services) and one per service. */
class ConsulPolls {
  readonly #abort = new AbortController();
  readonly #loops = new Map<string, ServiceLoop>();

  constructor(
    private readonly http: ConsulHttp,
    private readonly options: ResolvedOptions,
    private readonly logger: Logger,
    private readonly queue: AsyncQueue<RegistryEvent>,
    service: string | undefined,
  ) {
    // the first answers are the baseline, taken now: later changes become events, existing nodes do not
    if (service) this.#watchService(service, { silent: true });
    else void this.#watchCatalog();
  }

  get stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  stop(): void {
    this.#abort.abort();
  }

  async #watchCatalog(): Promise<void> {
    let first = true;
    await this.#poll<Record<string, string[]> | null>(
      "/v1/catalog/services",
      this.#abort.signal,
      (body, index) => {
        const names = new Set(Object.keys(body ?? {}));
        for (const name of names) {
          // services present at the start: only nodes created after that index are news
          if (!this.#loops.has(name)) this.#watchService(name, first ? { createdAfter: index } : {});
        }
        for (const [name, loop] of this.#loops) {
          if (names.has(name)) continue;
          // the last instance is gone: report what this loop still knew, and stop asking
          this.#diff(loop, []);
          loop.abort.abort();
          this.#loops.delete(name);
        }
        first = false;
      },
    );
  }

  #watchService(name: string, start: { silent?: boolean; createdAfter?: number }): void {
    const loop: ServiceLoop = { abort: new AbortController(), nodes: new Map() };
    this.#loops.set(name, loop);
    const signal = AbortSignal.any([this.#abort.signal, loop.abort.signal]);
    let first = true;
    void this.#poll<HealthEntry[] | null>(
      `/v1/health/service/${encodeURIComponent(name)}`,
      signal,
      (body) => {
        const entries = healthyEntries(name, body ?? []);
        if (first && (start.silent || start.createdAfter !== undefined)) {
          for (const e of entries) {
            const isNew =
              start.createdAfter !== undefined && (e.Service.CreateIndex ?? 0) > start.createdAfter;
            if (!isNew) remember(loop, entryService(e));
          }
        }
        first = false;
        this.#diff(loop, entries.map(entryService));
      },
    );
  }

  /** Emits what changed between what the loop knew and `now` (single-node services), and keeps `now`. */
  #diff(loop: ServiceLoop, now: Service[]): void {
    const seen = new Set<string>();
    for (const s of now) {
      const node = s.nodes[0]!;
      seen.add(node.id);
      const json = JSON.stringify(s);
      const prev = loop.nodes.get(node.id);
      if (prev?.json === json) continue;
      loop.nodes.set(node.id, { service: s, json });
      this.#emit(prev ? "update" : "create", s);
    }
    for (const [id, prev] of loop.nodes) {
      if (seen.has(id)) continue;
      loop.nodes.delete(id);
      this.#emit("delete", prev.service);
    }
  }

  #emit(action: RegistryEvent["action"], service: Service): void {
    if (!this.stopped) this.queue.push({ action, service: structuredClone(service) });
  }

  /** Runs blocking queries on `path` until `signal` aborts, calling `onChange` for every new answer. */
  async #poll<T>(
    path: string,
    signal: AbortSignal,
    onChange: (body: T, index: number) => void,
  ): Promise<void> {
    let index = 0;
    let backoff = MIN_BACKOFF;
    const wait = this.options.watchWait;
    while (!signal.aborted) {
      const started = Date.now();
      let res: { body: T; index: number };
      try {
        res = await this.http.request<T>("GET", path, {
          query: {
            index: index || undefined,
            wait: index ? goDuration(wait) : undefined,
            stale: this.options.allowStale,
          },
          // Consul adds up to wait/16 of jitter before answering
          timeout: wait + wait / 16 + this.options.timeout,
          blocking: true,
          signal,
        });
      } catch (err) {
        if (signal.aborted) return;
        this.logger.warn(`consul watch ${path}: ${(err as Error).message}; retrying in ${backoff} ms`);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
        continue;
      }
      backoff = MIN_BACKOFF;
      if (signal.aborted) return;
      // an index that goes backwards (agent restarted, snapshot restored) starts over, as Consul advises
      const changed = res.index !== index;
      const previous = index;
      index = res.index > 0 && res.index >= previous ? res.index : 0;
      if (changed || previous === 0) onChange(res.body, res.index);
      // never spin: an agent answering at once with the same index gets a short pause
      if (!changed && Date.now() - started < 50) await sleep(MIN_BACKOFF, signal);
    }
  }
}

function remember(loop: ServiceLoop, s: Service): void {
  loop.nodes.set(s.nodes[0]!.id, { service: s, json: JSON.stringify(s) });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
