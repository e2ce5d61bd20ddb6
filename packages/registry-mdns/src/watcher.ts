// A registry watch over multicast: every complete answer set heard on the group is a node appearing
// (TTL > 0) or leaving (TTL 0). Repeated announcements of an unchanged node are reported once, and a
// node whose records change is reported as an update.
import type { Logger, RegistryAction, RegistryEvent, Service, Watcher } from "@micro/core";
import { AsyncQueue, queueWatcher } from "@micro/core/plugin-kit";
import type { Answer } from "dns-packet";
import { EntryCollector } from "./entries.js";
import { entryService } from "./node.js";
import type { DnsSocket } from "./socket.js";

export interface MdnsWatcherOptions {
  domain: string;
  service?: string;
  logger: Logger;
  onStop?: () => void;
}

interface Known {
  signature: string;
  expires: number;
}

// A goodbye repeated soon after the first (deregister, then close) is the same departure.
const GONE_MEMORY_MS = 5000;

/** A watch of what is announced on the multicast group, as a Watcher. */
export function mdnsWatcher(socket: Promise<DnsSocket>, options: MdnsWatcherOptions): Watcher {
  const queue = new AsyncQueue<RegistryEvent>();
  const announcements = new Announcements(options, queue);
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  socket.then(
    (s) => {
      if (stopped) return;
      unsubscribe = s.onPacket((p) => {
        if (p.type === "response") announcements.add([...(p.answers ?? []), ...(p.additionals ?? [])]);
      });
    },
    (err: unknown) => queue.fail(err),
  );
  return queueWatcher(queue, () => {
    stopped = true;
    unsubscribe?.();
    options.onStop?.();
  });
}

/** Turns the answer sets heard into create, update and delete events, each node's once. */
class Announcements {
  readonly #known = new Map<string, Known>();
  readonly #gone = new Map<string, number>();
  readonly #options: MdnsWatcherOptions;
  readonly #queue: AsyncQueue<RegistryEvent>;

  // no parameter properties: the test fixtures run this file under Node's type stripping
  constructor(options: MdnsWatcherOptions, queue: AsyncQueue<RegistryEvent>) {
    this.#options = options;
    this.#queue = queue;
  }

  add(records: Answer[]): void {
    // Each message stands alone: an announcement carries a node's whole record set.
    const collector = new EntryCollector();
    collector.add(records);
    const now = Date.now();
    for (const [k, v] of this.#known) if (v.expires < now) this.#known.delete(k);
    for (const [k, t] of this.#gone) if (t < now) this.#gone.delete(k);
    for (const entry of collector.complete()) {
      let service: Service;
      try {
        service = entryService(entry, this.#options.domain);
      } catch (err) {
        this.#options.logger.warn(`mdns: ignoring ${entry.name}: ${(err as Error).message}`);
        continue;
      }
      if (this.#options.service && service.name !== this.#options.service) continue;
      const key = `${service.name}\u0000${service.nodes[0]!.id}`;
      if (entry.ttl === 0) {
        const known = this.#known.delete(key);
        if (!known && this.#gone.has(key)) continue;
        this.#gone.set(key, now + GONE_MEMORY_MS);
        this.#emit("delete", service);
        continue;
      }
      const signature = JSON.stringify(service);
      const prev = this.#known.get(key);
      this.#known.set(key, { signature, expires: now + entry.ttl * 1000 });
      this.#gone.delete(key);
      if (!prev) this.#emit("create", service);
      else if (prev.signature !== signature) this.#emit("update", service);
    }
  }

  #emit(action: RegistryAction, service: Service): void {
    this.#queue.push({ action, service });
  }
}
