// go-micro's registry selector: cached registry lookups, filters, a strategy, and (beyond go-micro)
// short avoidance of nodes that just failed.
import {
  getLogger,
  type Logger,
  type Next,
  type Node,
  type Registry,
  type SelectOptions,
  type Selector,
  type Service,
  type Strategy,
} from "@micro/core";
import { RegistryCache } from "@micro/registry-cache";
import { noneAvailable, notFound, selectFailed } from "./errors.js";
import { FailedNodes } from "./failures.js";
import { allNodes, random } from "./strategy.js";

export interface SelectorOptions {
  registry: Registry;
  /** How a node is picked for each attempt (default `random`, as in go-micro). */
  strategy?: Strategy;
  /** ms a registry answer is used without asking again (default 60 000, go-micro's cache TTL). */
  ttl?: number;
  /**
   * ms a node that failed a call is passed over while others are available (default 10 000: long
   * enough to ride out a restart, short enough that a recovered node soon gets traffic again).
   * 0 disables it, as go-micro's Mark does nothing.
   */
  failureTimeout?: number;
  logger?: Logger;
  /** What `selector.name` reports (default go-micro's "registry"). */
  name?: string;
}

export const DEFAULT_TTL = 60_000;
export const DEFAULT_FAILURE_TIMEOUT = 10_000;

export function createSelector(options: SelectorOptions): Selector {
  return new RegistrySelector(options);
}

export class RegistrySelector implements Selector {
  readonly name: string;
  readonly #cache: RegistryCache;
  readonly #failed: FailedNodes;
  readonly #strategy: Strategy;
  #closed = false;

  constructor(options: SelectorOptions) {
    if (!options?.registry) throw new TypeError("createSelector: a registry is required");
    this.name = options.name ?? "registry";
    this.#strategy = options.strategy ?? random;
    this.#cache = new RegistryCache(options.registry, {
      ttl: options.ttl ?? DEFAULT_TTL,
      logger: options.logger ?? getLogger(),
      name: "selector",
    });
    this.#failed = new FailedNodes(options.failureTimeout ?? DEFAULT_FAILURE_TIMEOUT);
  }

  async select(service: string, options: SelectOptions = {}): Promise<Next> {
    if (this.#closed) throw selectFailed(service, "selector closed");
    let services: Service[];
    try {
      services = await this.#cache.get(service);
    } catch (err) {
      throw selectFailed(service, err);
    }
    if (!services.length) throw notFound(service);
    for (const filter of options.filters ?? []) services = filter(services);
    const size = services.reduce((n, s) => n + s.nodes.length, 0);
    if (!size) throw noneAvailable(service);
    const strategy = options.strategy ?? this.#strategy;
    const healthy = this.#failed.healthy(service, services);
    return this.#guard(service, strategy(healthy), allNodes(healthy));
  }

  /**
   * Prefers, in order: a node that is not failing and differs from the previous pick (so a retry
   * goes elsewhere), any node that is not failing, whatever the strategy gave. Marks made while a
   * call is retrying count, since the client marks each failed attempt before the next. The
   * strategy gets a few draws; then the choice is made from the candidates directly, so a random
   * strategy cannot land on the same node by chance.
   */
  #guard(service: string, next: Next, candidates: Node[]): Next {
    if (candidates.length === 1) return next;
    const draws = candidates.length + 1;
    let last: string | undefined;
    const usable = (n: Node) => !this.#failed.isFailing(service, n.id);
    const pick = (n: Node) => {
      last = n.id;
      return n;
    };
    return () => {
      let first: Node | undefined;
      for (let i = 0; i < draws; i++) {
        const node = next();
        first ??= node;
        if (node.id !== last && usable(node)) return pick(node);
      }
      const others = candidates.filter((n) => n.id !== last && usable(n));
      if (others.length) return pick(others[Math.floor(Math.random() * others.length)]!);
      return pick(candidates.find((n) => n.id === last && usable(n)) ?? first!);
    };
  }

  mark(service: string, node: Node, error?: unknown): void {
    this.#failed.mark(service, node, error !== undefined && error !== null);
  }

  reset(service: string): void {
    this.#cache.forget(service);
    this.#failed.reset(service);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cache.close();
    this.#failed.clear();
  }
}
