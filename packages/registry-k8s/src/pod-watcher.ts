// Watching pods: list (the baseline, with its resourceVersion), then follow the API server's watch
// stream from that version. Each pod's go-micro annotations are diffed against what was known, so a
// pod that stops running, is deleted or loses its label reads as `delete`. When the stream ends or
// the version is too old (410 Gone) we list again and diff, so nothing is lost across reconnects.
import { type KubeConfig, Watch } from "@kubernetes/client-node";
import type { RegistryEvent, Service, Watcher } from "@micro/core";
import { AsyncQueue, queueWatcher } from "@micro/core/plugin-kit";
import { labelSelector } from "./names.js";
import { type PodLike, podServices } from "./pods.js";

interface PodList {
  items?: unknown[];
  metadata?: { resourceVersion?: string };
}

interface Logger {
  warn(msg: string, ...args: unknown[]): void;
  debug(msg: string, ...args: unknown[]): void;
}

const MIN_BACKOFF = 250;
const MAX_BACKOFF = 10_000;

/** A watch of the pods of one service, or of every service, as a Watcher over what changed. */
export function podWatcher(
  kc: KubeConfig,
  namespace: string,
  service: string | undefined,
  list: (selector: string) => Promise<PodList>,
  logger: Logger,
  onStop: () => void,
): Watcher {
  const queue = new AsyncQueue<RegistryEvent>();
  const pods = new PodWatch(kc, namespace, service, list, logger, queue);
  return queueWatcher(queue, () => {
    pods.stop();
    onStop();
  });
}

/** Lists and follows the pods, pushing the changes it finds to the queue until stopped. */
class PodWatch {
  // pod name -> annotation key -> [record, its JSON]
  readonly #known = new Map<string, Map<string, [Service, string]>>();
  readonly #selector: string;
  #stopped = false;
  #stream: AbortController | undefined;
  #wake: (() => void) | undefined;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    private readonly service: string | undefined,
    private readonly list: (selector: string) => Promise<PodList>,
    private readonly logger: Logger,
    private readonly queue: AsyncQueue<RegistryEvent>,
  ) {
    this.#selector = labelSelector(service);
    void this.#run();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stream?.abort();
    this.#wake?.();
  }

  async #run(): Promise<void> {
    let baseline = true;
    let backoff = MIN_BACKOFF;
    while (!this.#stopped) {
      try {
        const list = await this.list(this.#selector);
        if (this.#stopped) return;
        this.#resync((list.items ?? []) as PodLike[], baseline);
        baseline = false;
        const version = list.metadata?.resourceVersion;
        const ended = await this.#follow(version);
        backoff = MIN_BACKOFF;
        if (ended === "gone") this.logger.debug("kubernetes watch: resource version expired; listing again");
      } catch (err) {
        if (this.#stopped) return;
        this.logger.warn(`kubernetes watch: ${(err as Error).message}; retrying in ${backoff} ms`);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF);
      }
    }
  }

  /** Streams watch events until the stream ends ("closed"), a 410 arrives ("gone") or it fails (throws). */
  #follow(resourceVersion: string | undefined): Promise<"closed" | "gone"> {
    this.#stream = undefined;
    return new Promise((resolve, reject) => {
      let gone = false;
      const watch = new Watch(this.kc);
      watch
        .watch(
          `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/pods`,
          { labelSelector: this.#selector, resourceVersion, allowWatchBookmarks: true },
          (type, obj: PodLike & { code?: number }) => {
            if (type === "ERROR") {
              // a Status object; 410 Gone means our version was compacted away: list again
              gone = true;
              if (obj?.code !== 410) this.logger.warn(`kubernetes watch: error event ${JSON.stringify(obj)}`);
              this.#stream?.abort();
              return;
            }
            if (type === "BOOKMARK") return;
            const name = obj?.metadata?.name;
            if (!name) return;
            this.#apply(name, type === "DELETED" ? new Map() : podServices(obj, this.service));
          },
          (err) => {
            if (err && !this.#stopped && !gone && (err as Error).name !== "AbortError") reject(err);
            else resolve(gone ? "gone" : "closed");
          },
        )
        .then((ctl) => {
          this.#stream = ctl;
          if (this.#stopped) ctl.abort();
        }, reject);
    });
  }

  /** A fresh list: the baseline (no events) the first time, afterwards diffed like watch events. */
  #resync(pods: PodLike[], baseline: boolean): void {
    const seen = new Set<string>();
    for (const pod of pods) {
      const name = pod.metadata?.name;
      if (!name) continue;
      seen.add(name);
      const records = podServices(pod, this.service);
      if (baseline) {
        this.#known.set(name, new Map([...records].map(([k, s]) => [k, [s, JSON.stringify(s)]])));
      } else this.#apply(name, records);
    }
    for (const name of [...this.#known.keys()]) if (!seen.has(name)) this.#apply(name, new Map());
  }

  #apply(pod: string, now: Map<string, Service>): void {
    const before = this.#known.get(pod) ?? new Map<string, [Service, string]>();
    const after = new Map<string, [Service, string]>();
    for (const [key, s] of now) {
      const json = JSON.stringify(s);
      after.set(key, [s, json]);
      const prev = before.get(key);
      if (!prev) this.#emit("create", s);
      else if (prev[1] !== json) this.#emit("update", s);
    }
    for (const [key, [s]] of before) if (!after.has(key)) this.#emit("delete", s);
    if (after.size) this.#known.set(pod, after);
    else this.#known.delete(pod);
  }

  #emit(action: RegistryEvent["action"], service: Service): void {
    if (!this.#stopped) this.queue.push({ action, service: structuredClone(service) });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
