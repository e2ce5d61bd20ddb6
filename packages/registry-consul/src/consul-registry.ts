// go-micro's consul registry on the agent HTTP API: one Consul service instance per node, with
// go-micro's record carried in encoded tags and liveness in a TTL check that re-registration passes.
import type { RegisterOptions, Registry, Service, Watcher, WatchOptions } from "@micro/core";
import { deregisterAfter, goDuration } from "./duration.js";
import { encodeTags } from "./encoding.js";
import { type HealthEntry, servicesFromEntries } from "./entries.js";
import { ConsulHttp, ConsulHttpError } from "./http.js";
import { type ConsulRegistryOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { consulWatcher } from "./watcher.js";

/** The body of `PUT /v1/agent/service/register`, as go-micro's AgentServiceRegistration sends it. */
export interface ConsulServiceRegistration {
  ID: string;
  Name: string;
  Tags: string[];
  Port: number;
  Address: string;
  Meta: Record<string, string>;
  Check?: { TTL: string; DeregisterCriticalServiceAfter: string };
}

const silent = { warn() {}, debug() {} };

export class ConsulRegistry implements Registry {
  readonly name = "consul";
  readonly options: Readonly<ResolvedOptions>;
  readonly #http: ConsulHttp;
  readonly #logger: NonNullable<ConsulRegistryOptions["logger"]>;
  // node id -> what we last registered, so unchanged re-registrations only pass the check (as Go does)
  readonly #registered = new Map<string, string>();
  readonly #watchers = new Set<Watcher>();
  #closed = false;

  constructor(options: ConsulRegistryOptions = {}) {
    this.options = resolveOptions(options);
    this.#http = new ConsulHttp(this.options);
    this.#logger = options.logger ?? silent;
  }

  async register(service: Service, options: RegisterOptions = {}): Promise<void> {
    if (!service.name) throw new TypeError("register: service name is required");
    if (!service.nodes.length) throw new TypeError("register: at least one node is required");
    const ttl = options.ttl && options.ttl > 0 ? options.ttl : 0;
    // Go registers only the first node; every node is registered here, each as its own instance
    await Promise.all(service.nodes.map((_, i) => this.#registerNode(service, i, ttl)));
  }

  async #registerNode(service: Service, i: number, ttl: number): Promise<void> {
    const body = registration(service, i, ttl);
    const hash = JSON.stringify([body, ttl]);
    if (this.#registered.get(body.ID) === hash && ttl > 0) {
      // unchanged: passing the check is enough, unless the agent forgot us (restart, reaped)
      if (
        await this.#pass(body.ID).then(
          () => true,
          () => false,
        )
      )
        return;
    }
    await this.#http.request("PUT", "/v1/agent/service/register", { body });
    this.#registered.set(body.ID, hash);
    if (ttl > 0) await this.#pass(body.ID);
  }

  #pass(nodeId: string): Promise<unknown> {
    return this.#http.request("PUT", `/v1/agent/check/pass/service:${encodeURIComponent(nodeId)}`);
  }

  async deregister(service: Service): Promise<void> {
    await Promise.all(
      service.nodes.map(async (n) => {
        this.#registered.delete(n.id);
        try {
          await this.#http.request("PUT", `/v1/agent/service/deregister/${encodeURIComponent(n.id)}`);
        } catch (err) {
          // already gone (reaped after a critical check, or never registered) is what we wanted
          if (!(err instanceof ConsulHttpError && err.status === 404)) throw err;
        }
      }),
    );
  }

  async getService(name: string): Promise<Service[]> {
    const res = await this.#http.request<HealthEntry[] | null>(
      "GET",
      `/v1/health/service/${encodeURIComponent(name)}`,
      { query: { stale: this.options.allowStale } },
    );
    return servicesFromEntries(name, res.body ?? []);
  }

  /**
   * Names only, as go-micro's consul registry returns (Consul's own `consul` service included).
   * Consul answers `/v1/catalog/services` with every tag of every service, and go-micro's tags carry
   * the endpoint schemas (~1.2 KB a service: 12.6 MB at 10,000 services), with no way to ask for
   * names alone (a `?filter` selects services, it does not drop tags). The local agent's answer is
   * read uncompressed (http.ts). `?cached` (the agent's cache) would halve Consul's time, but on
   * Consul 1.22 it kept serving a 10,000-service list for minutes after they were deregistered
   * (X-Cache: HIT, Age: 0, an old X-Consul-Index), so it is not used.
   */
  async listServices(): Promise<Service[]> {
    const res = await this.#http.request<Record<string, string[]> | null>("GET", "/v1/catalog/services", {
      query: { stale: this.options.allowStale },
    });
    return Object.keys(res.body ?? {})
      .sort()
      .map((name) => ({ name, version: "", endpoints: [], nodes: [] }));
  }

  watch(options: WatchOptions = {}): Watcher {
    if (this.#closed) throw new Error("consul registry is closed");
    const w = consulWatcher(this.#http, this.options, this.#logger, options.service, () =>
      this.#watchers.delete(w),
    );
    this.#watchers.add(w);
    return w;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of [...this.#watchers]) w.stop();
    await this.#http.close();
  }
}

/** The agent registration go-micro sends for node `i` of `service`. */
export function registration(service: Service, i: number, ttl: number): ConsulServiceRegistration {
  const node = service.nodes[i]!;
  const { host, port } = splitHostPort(node.address);
  const body: ConsulServiceRegistration = {
    ID: node.id,
    Name: service.name,
    Tags: encodeTags(node.metadata ?? {}, service.endpoints ?? [], service.version ?? ""),
    Port: port,
    Address: host,
    Meta: consulMeta(node.metadata ?? {}),
  };
  if (ttl > 0)
    body.Check = { TTL: goDuration(ttl), DeregisterCriticalServiceAfter: goDuration(deregisterAfter(ttl)) };
  return body;
}

/** Go's net.SplitHostPort with go-micro's fallbacks: no port -> the whole address and port 0. */
export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^\[([^\]]*)\](?::(\d*))?$/.exec(address) ?? /^([^:]*):(\d*)$/.exec(address);
  if (!m) return { host: address, port: 0 };
  const port = Number(m[2] ?? 0);
  return { host: m[1]!, port: Number.isFinite(port) ? port : 0 };
}

// Consul rejects the whole registration for Meta keys outside [A-Za-z0-9_-] (max 128 chars), reserved
// `consul-` keys, values over 512 chars or more than 64 keys. Meta is informational only (the tags
// carry the metadata), so keys Consul would refuse are left out instead of failing the registration.
function consulMeta(md: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of Object.entries(md)) {
    if (n >= 64 || !/^[A-Za-z0-9_-]{1,128}$/.test(k) || k.startsWith("consul-") || v.length > 512) continue;
    out[k] = v;
    n++;
  }
  return out;
}
