// Publishers find subscribers only through the registry, so every subscription must be registered
// while the listener is up, re-registered before its TTL runs out, and deregistered when it goes.
import type { Logger, Registry, Service } from "@micro/core";
import { BROADCAST_VERSION, BROKER_SERVICE } from "./names.js";

/** One registry node: all local subscriptions of one topic and queue group share it. */
export interface SubscriberNode {
  readonly id: string;
  readonly topic: string;
  readonly queue: string | undefined;
}

export interface Listener {
  /** host:port publishers dial. */
  address: string;
  secure: boolean;
}

export interface RegistrarOptions {
  /** ms a registration lives without refresh (go-micro: 1 minute). */
  ttl: number;
  /** ms between refreshes (go-micro: 30 s). */
  interval: number;
  logger: Logger;
}

/** The registry record go-micro's http broker writes for a subscription. */
export function subscriberService(node: SubscriberNode, listener: Listener): Service {
  return {
    name: BROKER_SERVICE,
    version: node.queue ?? BROADCAST_VERSION,
    endpoints: [],
    nodes: [
      {
        id: node.id,
        address: listener.address,
        metadata: { secure: String(listener.secure), broker: "http", topic: node.topic },
      },
    ],
  };
}

export class SubscriberRegistrar {
  readonly #registry: Registry;
  readonly #options: RegistrarOptions;
  // Registration waits for a listener: go-micro registers port 0 when Subscribe precedes Connect,
  // which publishers cannot dial and mdns rejects outright.
  #listener: Listener | undefined;
  readonly #registered = new Map<string, Service>();
  #timer: NodeJS.Timeout | undefined;

  constructor(registry: Registry, options: RegistrarOptions) {
    this.#registry = registry;
    this.#options = options;
  }

  /** Starts registering: every given node now, each later one on `add`, all of them periodically. */
  async attach(listener: Listener, nodes: Iterable<SubscriberNode>): Promise<void> {
    this.#listener = listener;
    await Promise.all([...nodes].map((n) => this.add(n)));
    this.#timer = setInterval(() => void this.#refresh(), this.#options.interval);
    this.#timer.unref();
  }

  /** Registers `node` if a listener is attached; rejects when the registry refuses. */
  async add(node: SubscriberNode): Promise<void> {
    if (!this.#listener) return;
    const service = subscriberService(node, this.#listener);
    await this.#registry.register(service, { ttl: this.#options.ttl });
    this.#registered.set(node.id, service);
  }

  async remove(node: SubscriberNode): Promise<void> {
    const service = this.#registered.get(node.id);
    if (!service) return;
    this.#registered.delete(node.id);
    await this.#registry.deregister(service).catch((err) => {
      // the TTL removes it anyway; publishers meanwhile get a 200 and no delivery
      this.#options.logger.warn(`http broker: deregistering ${node.id} failed`, err);
    });
  }

  /** Deregisters everything and stops refreshing. */
  async detach(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listener = undefined;
    const all = [...this.#registered.values()];
    this.#registered.clear();
    await Promise.all(
      all.map((s) =>
        this.#registry
          .deregister(s)
          .catch((err) =>
            this.#options.logger.warn(`http broker: deregistering ${s.nodes[0]?.id} failed`, err),
          ),
      ),
    );
  }

  async #refresh(): Promise<void> {
    for (const service of this.#registered.values()) {
      try {
        await this.#registry.register(service, { ttl: this.#options.ttl });
      } catch (err) {
        this.#options.logger.warn(`http broker: re-registering ${service.nodes[0]?.id} failed`, err);
      }
    }
  }
}
