// go-micro's kubernetes registry: a service registers by labelling and annotating the pod it runs
// in, and is found by listing pods with its selector label. There is no TTL: the pod's lifecycle
// (Running, deletionTimestamp) decides whether its record counts.
//
// listServices (issue 19) returns names only, as go-micro's does, and reads the pods in pages
// (`limit`/`continue`, kubectl's 500 a page) instead of one answer holding every pod of the mesh:
// 10,000 services of 2 pods each are ~20,000 pods, tens of MB in one response. The pages are read
// as plain JSON (list-names.ts), not through the generated client, whose model classes cost more
// than the request itself at that size.
import { CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import type { RegisterOptions, Registry, Service, Watcher, WatchOptions } from "@micro/core";
import { mergeByVersion } from "@micro/core/plugin-kit";
import { listNames } from "./list-names.js";
import { labelSelector } from "./names.js";
import { type KubernetesRegistryOptions, type Resolved, resolveOptions } from "./options.js";
import { deregisterPatch, type PodMetadataPatch, registerPatch } from "./patch.js";
import { podWatcher } from "./pod-watcher.js";
import { type PodLike, podServices } from "./pods.js";

const silent = { warn() {}, debug() {} };

export class KubernetesRegistry implements Registry {
  readonly name = "kubernetes";
  readonly #o: Resolved;
  readonly #api: CoreV1Api;
  readonly #logger: NonNullable<KubernetesRegistryOptions["logger"]>;
  readonly #watchers = new Set<Watcher>();
  // What this instance put on its pod, per service name. The annotation is rewritten from this, so
  // several nodes registered through one instance share the annotation, while a restarted process
  // (a new instance) overwrites whatever its predecessor left, exactly as Go's single-node write does.
  readonly #mine = new Map<string, Service>();
  // patches are computed and sent one at a time, so the last one the API server applies is the latest state
  #chain: Promise<unknown> = Promise.resolve();

  constructor(options: KubernetesRegistryOptions = {}) {
    this.#o = resolveOptions(options);
    this.#api = this.#o.kc.makeApiClient(CoreV1Api);
    this.#logger = options.logger ?? silent;
  }

  get namespace(): string {
    return this.#o.namespace;
  }

  get kubeConfig(): KubeConfig {
    return this.#o.kc;
  }

  /** Labels and annotates this pod; the TTL option does not apply (the pod's lifecycle does). */
  async register(service: Service, _options: RegisterOptions = {}): Promise<void> {
    if (!service.name) throw new TypeError("register: service name is required");
    if (!service.nodes.length) throw new TypeError("register: at least one node is required");
    await this.#serial(() => {
      const prev = this.#mine.get(service.name);
      const next = structuredClone(service);
      if (prev && prev.version === service.version) {
        const ids = new Set(service.nodes.map((n) => n.id));
        next.nodes = [...prev.nodes.filter((n) => !ids.has(n.id)), ...next.nodes];
      }
      return this.#patch(registerPatch(next)).then(() => void this.#mine.set(service.name, next));
    });
  }

  /** Removes the given nodes; the pod's record goes (Go's null patch) once none of this instance's are left. */
  async deregister(service: Service): Promise<void> {
    await this.#serial(() => {
      const prev = this.#mine.get(service.name);
      const gone = new Set(service.nodes.map((n) => n.id));
      const left = prev ? prev.nodes.filter((n) => !gone.has(n.id)) : [];
      if (prev && left.length) {
        const next = { ...prev, nodes: left };
        return this.#patch(registerPatch(next)).then(() => void this.#mine.set(service.name, next));
      }
      return this.#patch(deregisterPatch(service)).then(() => void this.#mine.delete(service.name));
    });
  }

  #serial(task: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => {});
    return run;
  }

  async #patch(body: PodMetadataPatch): Promise<void> {
    const pod = this.#o.podName;
    if (!pod) {
      throw new Error(
        "kubernetes registry: no pod to register on: set HOSTNAME (the pod name) or the podName option",
      );
    }
    await this.#timed(
      `patching pod ${pod}`,
      this.#api.patchNamespacedPod(
        { name: pod, namespace: this.#o.namespace, body },
        // the generated client would pick json-patch; go-micro sends a strategic merge patch
        setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
      ),
    );
  }

  async getService(name: string): Promise<Service[]> {
    const pods = await this.#list(labelSelector(name));
    return mergeByVersion(pods.flatMap((p) => [...podServices(p, name).values()]));
  }

  /** One entry per service name, with only the name (as go-micro's); getService describes one. */
  async listServices(): Promise<Service[]> {
    const names = await listNames(
      this.#o.kc,
      this.#o.namespace,
      labelSelector(),
      this.#o.pageSize,
      (what, p) => this.#timed(what, p),
      this.#logger,
    );
    return names.map((name) => ({ name, version: "", endpoints: [], nodes: [] }));
  }

  async #list(selector: string): Promise<PodLike[]> {
    const list = await this.#timed(
      `listing pods (${selector})`,
      this.#api.listNamespacedPod({ namespace: this.#o.namespace, labelSelector: selector }),
    );
    return (list.items ?? []) as PodLike[];
  }

  watch(options: WatchOptions = {}): Watcher {
    const w = podWatcher(
      this.#o.kc,
      this.#o.namespace,
      options.service,
      (selector) =>
        this.#timed(
          `listing pods (${selector})`,
          this.#api.listNamespacedPod({ namespace: this.#o.namespace, labelSelector: selector }),
        ),
      this.#logger,
      () => this.#watchers.delete(w),
    );
    this.#watchers.add(w);
    return w;
  }

  async close(): Promise<void> {
    for (const w of [...this.#watchers]) w.stop();
  }

  // The generated client has no per-call deadline; a hung API server must not hang registration.
  #timed<T>(what: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`kubernetes registry: ${what} timed out after ${this.#o.timeout} ms`)),
        this.#o.timeout,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
